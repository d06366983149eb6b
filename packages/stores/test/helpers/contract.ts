// Contract suites that every adapter of a port must pass. An adapter's test
// file calls them with a factory that builds a fresh, empty adapter on a
// given clock (one per test).

import type { DenyList, SessionRecord, SessionStore } from '../../src/index.js';

export {
  attemptCounterContract,
  keyStoreContract,
  replayCacheContract,
} from './contract-small-ports.js';
export { refreshTokenStoreContract } from './contract-refresh.js';
export { denyListPropagationContract } from './contract-propagation.js';

/** Builds a fresh adapter for one test. */
export type MakeAdapter<T> = (clock: ManualClock) => T | Promise<T>;

/** A clock the tests move by hand, in epoch milliseconds. */
export interface ManualClock {
  now: () => number;
  advanceSeconds(seconds: number): void;
}

export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advanceSeconds(seconds) {
      current += seconds * 1000;
    },
  };
}

function record(data: Record<string, unknown>): SessionRecord {
  return { data, createdAtMs: 1, lastSeenAtMs: 2 };
}

export function sessionStoreContract(
  makeStore: MakeAdapter<SessionStore>,
): void {
  let clock: ManualClock;
  let store: SessionStore;

  beforeEach(async () => {
    clock = createManualClock();
    store = await makeStore(clock);
  });

  it('returns what was set', async () => {
    await store.set('k1', record({ user: 'alice' }), 60);

    await expect(store.get('k1')).resolves.toEqual(record({ user: 'alice' }));
  });

  it('returns undefined for an unknown key', async () => {
    await expect(store.get('missing')).resolves.toBeUndefined();
  });

  it('forgets a record once its ttl has passed', async () => {
    await store.set('k1', record({}), 60);
    clock.advanceSeconds(59);
    await expect(store.get('k1')).resolves.toBeDefined();

    clock.advanceSeconds(1);
    await expect(store.get('k1')).resolves.toBeUndefined();
  });

  it('replaces a record and its ttl on set', async () => {
    await store.set('k1', record({ n: 1 }), 10);
    await store.set('k1', record({ n: 2 }), 100);
    clock.advanceSeconds(50);

    await expect(store.get('k1')).resolves.toEqual(record({ n: 2 }));
  });

  it('destroys a record, and destroying an absent key succeeds', async () => {
    await store.set('k1', record({}), 60);
    await store.destroy('k1');
    await store.destroy('never-there');

    await expect(store.get('k1')).resolves.toBeUndefined();
  });

  it("lists the keys of a user's live sessions", async () => {
    await store.set('k2', { ...record({}), userId: 'alice' }, 60);
    await store.set('k1', { ...record({}), userId: 'alice' }, 60);
    await store.set('k3', { ...record({}), userId: 'bob' }, 60);
    await store.set('k4', record({}), 60);
    await store.set('k5', { ...record({}), userId: 'alice' }, 10);
    await store.set('k6', { ...record({}), userId: 'alice' }, 60);
    await store.set('k6', { ...record({}), userId: 'carol' }, 60);
    await store.set('k7', { ...record({}), userId: 'alice' }, 60);
    await store.destroy('k7');
    clock.advanceSeconds(10);

    await expect(store.listByUser?.('alice')).resolves.toEqual(['k1', 'k2']);
    await expect(store.listByUser?.('carol')).resolves.toEqual(['k6']);
    await expect(store.listByUser?.('nobody')).resolves.toEqual([]);
  });

  it('destroys every live session of a user and no other', async () => {
    await store.set('k1', { ...record({}), userId: 'alice' }, 60);
    await store.set('k2', { ...record({}), userId: 'alice' }, 60);
    await store.set('k3', { ...record({}), userId: 'bob' }, 60);
    await store.set('k4', { ...record({}), userId: 'alice' }, 5);
    clock.advanceSeconds(5);

    await expect(store.destroyByUser?.('alice')).resolves.toBe(2);
    await expect(store.get('k1')).resolves.toBeUndefined();
    await expect(store.get('k2')).resolves.toBeUndefined();
    await expect(store.get('k3')).resolves.toBeDefined();
    await expect(store.listByUser?.('alice')).resolves.toEqual([]);
    await expect(store.destroyByUser?.('alice')).resolves.toBe(0);
  });

  it('hands out copies that do not alias the stored record', async () => {
    const original = record({ roles: ['user'] });
    await store.set('k1', original, 60);
    (original.data.roles as string[]).push('admin');
    const read = await store.get('k1');
    (read?.data.roles as string[]).push('root');

    await expect(store.get('k1')).resolves.toEqual(record({ roles: ['user'] }));
  });
}

export function denyListContract(makeList: MakeAdapter<DenyList>): void {
  let clock: ManualClock;
  let list: DenyList;

  beforeEach(async () => {
    clock = createManualClock();
    list = await makeList(clock);
  });

  it('reports an added key until it expires', async () => {
    const expiresAt = clock.now() / 1000 + 30;
    await list.add('jti-1', expiresAt);

    await expect(list.has('jti-1')).resolves.toBe(true);
    clock.advanceSeconds(30);
    await expect(list.has('jti-1')).resolves.toBe(false);
  });

  it('does not report keys that were never added', async () => {
    await list.add('jti-1', clock.now() / 1000 + 30);

    await expect(list.has('jti-2')).resolves.toBe(false);
  });

  it('keeps a key when re-added with a later expiry', async () => {
    await list.add('sid-1', clock.now() / 1000 + 10);
    await list.add('sid-1', clock.now() / 1000 + 100);
    clock.advanceSeconds(50);

    await expect(list.has('sid-1')).resolves.toBe(true);
  });

  it('ignores an entry that has already expired', async () => {
    await list.add('jti-old', clock.now() / 1000 - 1);

    await expect(list.has('jti-old')).resolves.toBe(false);
  });
}
