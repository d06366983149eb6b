import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { Redis } from 'ioredis';

import { createRedisStores } from '@portcullis/stores';

import {
  assertionApp,
  clientKeys,
  expectInvalidClient,
  signAssertion,
  tokenWithAssertion,
} from './helpers/client-assertions.js';
import type { ClientKeys } from './helpers/client-assertions.js';
import { redisUrl, uniqueName } from '../../../test-support/services.js';

let keys: ClientKeys;

beforeAll(async () => {
  keys = await clientKeys();
});

// A loopback port that nothing listens on: reserved, then released.
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('verifyClientAssertion with a Redis replay cache', () => {
  const prefix = `${uniqueName('ts_assert')}:`;
  let client: Redis;

  beforeAll(() => {
    client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const stored = await client.keys(`${prefix}*`);
    if (stored.length > 0) await client.del(...stored);
    await client.quit();
  });

  it('refuses at one instance an assertion already used at another', async () => {
    const shared = () =>
      createRedisStores({ client, keyPrefix: prefix }).replayCache;
    const first = await assertionApp(keys, shared());
    const second = await assertionApp(keys, shared());
    const assertion = await signAssertion(keys.es, 'es-client');

    const accepted = await tokenWithAssertion(first.app, assertion);
    expect(accepted.status).toBe(200);

    const replayed = await tokenWithAssertion(second.app, assertion);
    expectInvalidClient(replayed);
    expect(replayed.body.access_token).toBeUndefined();
    expect(await client.keys(`${prefix}replay:private_key_jwt:*`)).toHaveLength(
      1,
    );
  });

  it('lets exactly one of concurrent uses of an assertion through', async () => {
    const shared = () =>
      createRedisStores({ client, keyPrefix: prefix }).replayCache;
    const apps = [
      (await assertionApp(keys, shared())).app,
      (await assertionApp(keys, shared())).app,
    ];
    const assertion = await signAssertion(keys.ed, 'ed-client');

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        tokenWithAssertion(apps[i % 2]!, assertion),
      ),
    );

    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(401)]);
  });
});

describe('verifyClientAssertion with an unreachable replay cache', () => {
  let client: Redis;

  beforeAll(async () => {
    client = new Redis(await deadPort(), '127.0.0.1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
      disconnectTimeout: 10,
    });
  });

  afterAll(() => {
    client.disconnect();
  });

  it('answers 503 temporarily_unavailable and issues no token', async () => {
    const { replayCache } = createRedisStores({ client });
    const { app } = await assertionApp(keys, replayCache);

    const res = await tokenWithAssertion(
      app,
      await signAssertion(keys.es, 'es-client'),
    );

    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('still refuses a bad assertion with 401 before the cache is asked', async () => {
    const { replayCache } = createRedisStores({ client });
    const { app } = await assertionApp(keys, replayCache);

    const res = await tokenWithAssertion(
      app,
      await signAssertion(keys.es, 'es-client', { aud: 'elsewhere' }),
    );
    expectInvalidClient(res);
  });
});
