// Contract suites of the ReplayCache, the AttemptCounter and the KeyStore.

import type {
  AttemptCounter,
  KeyStore,
  ReplayCache,
  SigningKeyRecord,
} from '../../src/index.js';
import { createManualClock } from './contract.js';
import type { MakeAdapter, ManualClock } from './contract.js';

const CONCURRENT_CALLS = 50;

export function replayCacheContract(makeCache: MakeAdapter<ReplayCache>): void {
  let clock: ManualClock;
  let cache: ReplayCache;

  beforeEach(async () => {
    clock = createManualClock();
    cache = await makeCache(clock);
  });

  it('answers true for the first mark only, until the ttl passes', async () => {
    await expect(cache.markIfAbsent('jti-1', 30)).resolves.toBe(true);
    await expect(cache.markIfAbsent('jti-1', 30)).resolves.toBe(false);
    await expect(cache.markIfAbsent('jti-2', 30)).resolves.toBe(true);

    clock.advanceSeconds(30);
    await expect(cache.markIfAbsent('jti-1', 30)).resolves.toBe(true);
  });

  it('lets exactly one of 50 concurrent callers mark a key', async () => {
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, () =>
        cache.markIfAbsent('jti-race', 60),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
  });
}

export function attemptCounterContract(
  makeCounter: MakeAdapter<AttemptCounter>,
): void {
  let clock: ManualClock;
  let counter: AttemptCounter;

  beforeEach(async () => {
    clock = createManualClock();
    counter = await makeCounter(clock);
  });

  it('counts per key within a fixed window', async () => {
    await expect(counter.increment('ip-1', 60)).resolves.toBe(1);
    clock.advanceSeconds(59);
    await expect(counter.increment('ip-1', 60)).resolves.toBe(2);
    await expect(counter.increment('ip-2', 60)).resolves.toBe(1);

    clock.advanceSeconds(1);
    await expect(counter.increment('ip-1', 60)).resolves.toBe(1);
  });

  it('starts again from one after a reset', async () => {
    await counter.increment('user-1', 60);
    await counter.increment('user-1', 60);
    await counter.reset('user-1');
    await counter.reset('never-counted');

    await expect(counter.increment('user-1', 60)).resolves.toBe(1);
  });

  it('loses no increment among 50 concurrent ones', async () => {
    const counts = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, () =>
        counter.increment('ip-race', 60),
      ),
    );

    expect([...counts].sort((a, b) => a - b)).toEqual(
      Array.from({ length: CONCURRENT_CALLS }, (_, i) => i + 1),
    );
  });
}

function signingKey(kid: string, createdAtMs: number): SigningKeyRecord {
  return {
    kid,
    state: 'pending',
    data: { alg: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256' }, tags: [] },
    createdAtMs,
    stateChangedAtMs: createdAtMs,
  };
}

export function keyStoreContract(makeStore: MakeAdapter<KeyStore>): void {
  let store: KeyStore;

  beforeEach(async () => {
    store = await makeStore(createManualClock());
  });

  it('lists keys oldest first, exactly as put', async () => {
    await expect(store.list()).resolves.toEqual([]);
    await expect(store.put(signingKey('k2', 2000))).resolves.toBe(true);
    await expect(store.put(signingKey('k1', 1000))).resolves.toBe(true);
    await expect(store.put(signingKey('k0', 2000))).resolves.toBe(true);

    await expect(store.list()).resolves.toEqual([
      signingKey('k1', 1000),
      signingKey('k0', 2000),
      signingKey('k2', 2000),
    ]);
  });

  it('refuses to overwrite a kid', async () => {
    await store.put(signingKey('k1', 1000));
    const other = { ...signingKey('k1', 5000), data: { alg: 'RS256' } };

    await expect(store.put(other)).resolves.toBe(false);
    await expect(store.list()).resolves.toEqual([signingKey('k1', 1000)]);
  });

  it('moves a state only from the expected one', async () => {
    await store.put(signingKey('k1', 1000));

    await expect(store.updateState('k1', 'active', 'retired', 9)).resolves.toBe(
      false,
    );
    await expect(store.updateState('k1', 'pending', 'active', 7)).resolves.toBe(
      true,
    );
    await expect(
      store.updateState('nope', 'pending', 'active', 7),
    ).resolves.toBe(false);
    const [record] = await store.list();
    expect(record).toMatchObject({ state: 'active', stateChangedAtMs: 7 });
  });

  it('lets one of 50 concurrent state changes win', async () => {
    await store.put(signingKey('k1', 1000));
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, (_, i) =>
        store.updateState('k1', 'pending', 'active', i),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('removes a key, and removing an absent kid succeeds', async () => {
    await store.put(signingKey('k1', 1000));
    await store.remove('k1');
    await store.remove('k1');

    await expect(store.list()).resolves.toEqual([]);
  });
}
