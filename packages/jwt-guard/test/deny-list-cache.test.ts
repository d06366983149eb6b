/**
 * `denyList.cacheSeconds`: "not listed" answers reused while the store's
 * propagation is live, ended by any instance's addition, never past the
 * bound; on memory and on a real Redis shared by two verifiers.
 */

import { Redis } from 'ioredis';

import { createMemoryDenyList, createRedisStores } from '@portcullis/stores';
import type { DenyList, DenyListListener } from '@portcullis/stores';

import { redisUrl, uniqueName } from '../../../test-support/services.js';
import { startTcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import type { TcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import type { VerifierOptions } from '../src/options.js';
import { createVerifier } from '../src/verifier.js';
import type { Verifier } from '../src/verifier.js';

let signer: TestSigner;

beforeAll(async () => {
  signer = await createSigner('ES256');
});

function options(denyList: VerifierOptions['denyList']): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [signer.publicJwk] },
    algorithms: ['ES256'],
    denyList,
  };
}

/** Counts the store's `has` calls. */
function counting(store: DenyList): DenyList & { calls: () => number } {
  let calls = 0;
  return {
    add: (key, until) => store.add(key, until),
    has: (key) => {
      calls += 1;
      return store.has(key);
    },
    subscribe: store.subscribe?.bind(store),
    calls: () => calls,
  };
}

// Subscription is set up in the background; wait until verifyCached can
// use a remembered answer.
async function untilCachedAnswer(verifier: Verifier, token: string) {
  for (let i = 0; i < 100; i += 1) {
    await verifier.verify(token);
    if (verifier.verifyCached(token) !== undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  throw new Error('the deny-list answer was never reused');
}

describe('denyList.cacheSeconds on a memory store', () => {
  it('asks the store on every request by default', async () => {
    const store = counting(createMemoryDenyList());
    const verifier = createVerifier(options({ store }));
    const token = await signer.sign(validClaims({ jti: 'j-1' }));
    await verifier.verify(token);
    await verifier.verify(token);

    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(store.calls()).toBe(2);
    verifier.close();
  });

  it('reuses a "not listed" answer, and drops it when the key is added', async () => {
    const store = counting(createMemoryDenyList());
    const verifier = createVerifier(options({ store, cacheSeconds: 5 }));
    const token = await signer.sign(validClaims({ jti: 'j-2' }));
    await untilCachedAnswer(verifier, token);
    const calls = store.calls();

    expect(verifier.verifyCached(token)).toBeDefined();
    await verifier.verify(token);
    expect(store.calls()).toBe(calls);

    await store.add('j-2', nowSeconds() + 60);
    expect(verifier.verifyCached(token)).toBeUndefined();
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'JWT_GUARD_REVOKED',
    });
    verifier.close();
  });

  it('asks the store again once the answer is older than cacheSeconds', async () => {
    let nowMs = Date.now();
    const store = counting(createMemoryDenyList());
    const verifier = createVerifier({
      ...options({ store, cacheSeconds: 1 }),
      clock: () => nowMs,
    });
    const token = await signer.sign(validClaims({ jti: 'j-3' }));
    await untilCachedAnswer(verifier, token);
    nowMs += 1000;

    expect(verifier.verifyCached(token)).toBeUndefined();
    const calls = store.calls();
    await verifier.verify(token);
    expect(store.calls()).toBe(calls + 1);
    verifier.close();
  });

  it('never reuses answers from a store that does not propagate', async () => {
    const memory = createMemoryDenyList();
    const store = counting({
      add: (k, u) => memory.add(k, u),
      has: (k) => memory.has(k),
    });
    delete (store as Partial<DenyList>).subscribe;
    const verifier = createVerifier(options({ store, cacheSeconds: 5 }));
    const token = await signer.sign(validClaims({ jti: 'j-4' }));
    for (let i = 0; i < 3; i += 1) await verifier.verify(token);

    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(store.calls()).toBe(3);
    verifier.close();
  });

  it('does not remember an answer that was in flight when an addition arrived', async () => {
    let listener: DenyListListener = () => undefined;
    let answer: ((listed: boolean) => void) | undefined;
    const store: DenyList = {
      add: async () => undefined,
      has: () => new Promise<boolean>((resolve) => (answer = resolve)),
      subscribe: async (l) => {
        listener = l;
        return async () => undefined;
      },
    };
    const verifier = createVerifier(options({ store, cacheSeconds: 5 }));
    await new Promise((resolve) => setImmediate(resolve));
    const token = await signer.sign(validClaims({ jti: 'j-5' }));

    const first = verifier.verify(token);
    while (answer === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    listener('j-5');
    answer(false);
    await first;

    expect(verifier.verifyCached(token)).toBeUndefined();
    verifier.close();
  });

  it.each([[-1], [1.5], [61], ['5']])(
    'refuses cacheSeconds %j at startup',
    (cacheSeconds) => {
      expect(() =>
        createVerifier(
          options({
            store: createMemoryDenyList(),
            cacheSeconds: cacheSeconds as number,
          }),
        ),
      ).toThrow('denyList.cacheSeconds');
    },
  );
});

describe('denyList.cacheSeconds on Redis shared by two verifiers', () => {
  const clients: Redis[] = [];
  const verifiers: Verifier[] = [];
  const proxies: TcpProxy[] = [];

  afterAll(async () => {
    for (const verifier of verifiers) verifier.close();
    for (const client of clients) client.disconnect();
    for (const proxy of proxies) await proxy.cut();
  });

  it('refuses on one instance, within a second, a token revoked through the other', async () => {
    const prefix = `${uniqueName('deny')}:`;
    const instance = () => {
      const client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
      clients.push(client);
      const { denyList } = createRedisStores({ client, keyPrefix: prefix });
      const verifier = createVerifier(
        options({ store: denyList, claim: 'sid', cacheSeconds: 10 }),
      );
      verifiers.push(verifier);
      return { denyList, verifier };
    };
    const [a, b] = [instance(), instance()];
    const token = await signer.sign(validClaims({ sid: 'session-1' }));
    await untilCachedAnswer(a.verifier, token);
    await untilCachedAnswer(b.verifier, token);

    const revokedAt = Date.now();
    await a.denyList.add('session-1', nowSeconds() + 60);
    while (b.verifier.verifyCached(token) !== undefined) {
      if (Date.now() - revokedAt > 1000) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(Date.now() - revokedAt).toBeLessThan(1000);
    await expect(b.verifier.verify(token)).rejects.toMatchObject({
      reason: 'JWT_GUARD_REVOKED',
    });
  });

  it('stops reusing answers as soon as its connection to Redis is lost', async () => {
    const prefix = `${uniqueName('deny-cut')}:`;
    const url = new URL(redisUrl());
    const proxy = await startTcpProxy(url.hostname, Number(url.port));
    proxies.push(proxy);
    const proxied = new Redis(proxy.port, url.hostname, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    const direct = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    clients.push(proxied, direct);
    if (proxied.status !== 'ready') {
      await new Promise((resolve) => proxied.once('ready', resolve));
    }
    const guarded = createRedisStores({ client: proxied, keyPrefix: prefix });
    const elsewhere = createRedisStores({ client: direct, keyPrefix: prefix });
    const verifier = createVerifier(
      options({ store: guarded.denyList, claim: 'sid', cacheSeconds: 30 }),
    );
    verifiers.push(verifier);
    const token = await signer.sign(validClaims({ sid: 'session-cut' }));
    await untilCachedAnswer(verifier, token);

    try {
      await proxy.cut();
      await elsewhere.denyList.add('session-cut', nowSeconds() + 60);
      const cutAt = Date.now();
      while (verifier.verifyCached(token) !== undefined) {
        if (Date.now() - cutAt > 1000) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      expect(Date.now() - cutAt).toBeLessThan(1000);
      await expect(verifier.verify(token)).rejects.toMatchObject({
        status: 503,
      });
    } finally {
      await proxy.restore();
    }

    for (let i = 0; i < 200 && proxied.status !== 'ready'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'JWT_GUARD_REVOKED',
    });
  });
});
