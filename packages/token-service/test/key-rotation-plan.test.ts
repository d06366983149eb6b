import type { SigningKeyRecord, SigningKeyState } from '@portcullis/stores';

import {
  activateAfterMs,
  currentKey,
  planRotation,
} from '../src/key-rotation-plan.js';

const TIMINGS = { intervalMs: 10_000, pendingMs: 1_000, retiredMs: 5_000 };

function key(
  kid: string,
  state: SigningKeyState,
  createdAtMs: number,
  stateChangedAtMs = createdAtMs,
  activateAfter?: number,
): SigningKeyRecord {
  const data =
    activateAfter === undefined ? {} : { activateAfterMs: activateAfter };
  return { kid, state, data, createdAtMs, stateChangedAtMs };
}

describe('planRotation', () => {
  describe('when the ring is empty', () => {
    it('creates a key that may sign at once', () => {
      expect(planRotation([], 500, TIMINGS)).toEqual([
        { type: 'create', activateAfterMs: 500 },
      ]);
    });

    it('promotes the oldest pending key without waiting', () => {
      const records = [key('b', 'pending', 20), key('a', 'pending', 20)];

      expect(planRotation(records, 21, TIMINGS)).toEqual([
        { type: 'promote', kid: 'a', retire: [] },
      ]);
    });
  });

  describe('when one key is active', () => {
    const active = key('a', 'active', 0, 0);

    it('does nothing before the pending lead time', () => {
      expect(planRotation([active], 8_999, TIMINGS)).toEqual([]);
    });

    it('creates the successor one pending time before the rotation', () => {
      expect(planRotation([active], 9_000, TIMINGS)).toEqual([
        { type: 'create', activateAfterMs: 10_000 },
      ]);
    });

    it('creates a late successor that still waits the pending time', () => {
      expect(planRotation([active], 12_000, TIMINGS)).toEqual([
        { type: 'create', activateAfterMs: 13_000 },
      ]);
    });

    it('keeps a scheduled successor pending until the rotation', () => {
      const next = key('b', 'pending', 9_000, 9_000, 10_000);

      expect(planRotation([active, next], 9_999, TIMINGS)).toEqual([]);
    });

    it('promotes the successor and retires the active key on time', () => {
      const next = key('b', 'pending', 9_000, 9_000, 10_000);

      expect(planRotation([active, next], 10_000, TIMINGS)).toEqual([
        { type: 'promote', kid: 'b', retire: ['a'] },
      ]);
    });

    it('never promotes a key published for less than the pending time', () => {
      const next = key('b', 'pending', 9_500, 9_500, 9_500);

      expect(planRotation([active, next], 10_400, TIMINGS)).toEqual([]);
      expect(planRotation([active, next], 10_500, TIMINGS)).toEqual([
        { type: 'promote', kid: 'b', retire: ['a'] },
      ]);
    });

    it('promotes an on-demand key before the schedule', () => {
      const requested = key('b', 'pending', 2_000, 2_000, 3_000);

      expect(planRotation([active, requested], 3_000, TIMINGS)).toEqual([
        { type: 'promote', kid: 'b', retire: ['a'] },
      ]);
    });
  });

  describe('when instances raced', () => {
    it('retires all but the key activated last', () => {
      const records = [
        key('a', 'active', 0, 100),
        key('b', 'active', 0, 300),
        key('c', 'active', 0, 200),
      ];

      expect(currentKey(records)?.kid).toBe('b');
      expect(planRotation(records, 400, TIMINGS)).toEqual([
        { type: 'retire', kid: 'a' },
        { type: 'retire', kid: 'c' },
      ]);
    });

    it('leaves a second requested key for the next rotation', () => {
      // b and c were requested at once; b became active at 3000.
      const records = [
        key('a', 'retired', 0, 3_000),
        key('b', 'active', 2_000, 3_000, 3_000),
        key('c', 'pending', 2_001, 2_001, 3_001),
      ];

      expect(planRotation(records, 4_000, TIMINGS)).toEqual([]);
      expect(planRotation(records, 13_000, TIMINGS)).toEqual([
        { type: 'promote', kid: 'c', retire: ['b'] },
        { type: 'remove', kid: 'a' },
      ]);
    });

    it('breaks an activation tie by kid', () => {
      const records = [key('b', 'active', 0, 5), key('a', 'active', 0, 5)];

      expect(currentKey(records)?.kid).toBe('b');
    });
  });

  describe('when a key is retired', () => {
    const records = [
      key('a', 'retired', 0, 1_000),
      key('b', 'active', 0, 1_000),
    ];

    it('keeps it published for the retired time', () => {
      expect(planRotation(records, 5_999, TIMINGS)).toEqual([]);
    });

    it('removes it afterwards', () => {
      expect(planRotation(records, 6_000, TIMINGS)).toEqual([
        { type: 'remove', kid: 'a' },
      ]);
    });
  });

  it('reads activateAfterMs from the record, or its creation time', () => {
    expect(activateAfterMs(key('a', 'pending', 7, 7, 42))).toBe(42);
    expect(activateAfterMs(key('a', 'pending', 7))).toBe(7);
  });
});
