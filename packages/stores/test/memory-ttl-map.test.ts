import { MemoryTtlMap } from '../src/index.js';
import { createManualClock } from './helpers/contract.js';

describe('MemoryTtlMap', () => {
  it('sweeps expired entries so memory holds only live ones', () => {
    const clock = createManualClock();
    const map = new MemoryTtlMap<number>({ now: clock.now });
    for (let i = 0; i < 100; i += 1) map.set(`old-${i}`, i, clock.now() + 1000);
    clock.advanceSeconds(2);
    for (let i = 0; i < 156; i += 1) map.set(`new-${i}`, i, clock.now() + 1000);

    expect(map.size).toBe(156);
  });

  it('treats an entry as expired at its deadline', () => {
    const clock = createManualClock();
    const map = new MemoryTtlMap<string>({ now: clock.now });
    map.set('k', 'v', clock.now() + 1000);
    clock.advanceSeconds(1);

    expect(map.get('k')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});
