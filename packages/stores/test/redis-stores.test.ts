import { Redis } from 'ioredis';

import { createRedisStores } from '../src/index.js';
import type { RedisStores } from '../src/index.js';
import {
  attemptCounterContract,
  denyListContract,
  denyListPropagationContract,
  keyStoreContract,
  refreshTokenStoreContract,
  replayCacheContract,
  sessionStoreContract,
} from './helpers/contract.js';
import type { ManualClock } from './helpers/contract.js';
import { redisUrl, uniqueName } from '../../../test-support/services.js';

const filePrefix = `${uniqueName('redis')}:`;
let client: Redis;
let otherInstance: Redis | undefined;
let tests = 0;

beforeAll(() => {
  client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  otherInstance = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  if (client === undefined) return;
  const keys = await client.keys(`${filePrefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
  await otherInstance?.quit();
});

// Each test gets its own key prefix, so tests never see each other's keys.
function stores(clock: ManualClock): RedisStores {
  tests += 1;
  return createRedisStores({
    client,
    keyPrefix: `${filePrefix}${tests}:`,
    now: clock.now,
  });
}

describe('createRedisStores', () => {
  describe('sessions', () => {
    sessionStoreContract((clock) => stores(clock).sessions);
  });

  describe('denyList', () => {
    denyListContract((clock) => stores(clock).denyList);
  });

  describe('denyList.subscribe', () => {
    denyListPropagationContract(async () => {
      tests += 1;
      const keyPrefix = `${filePrefix}${tests}:`;
      return [
        createRedisStores({ client, keyPrefix }).denyList,
        createRedisStores({ client: otherInstance as Redis, keyPrefix })
          .denyList,
      ];
    });
  });

  describe('replayCache', () => {
    replayCacheContract((clock) => stores(clock).replayCache);
  });

  describe('attemptCounter', () => {
    attemptCounterContract((clock) => stores(clock).attemptCounter);
  });

  describe('refreshTokens', () => {
    refreshTokenStoreContract((clock) => stores(clock).refreshTokens);
  });

  describe('keys', () => {
    keyStoreContract((clock) => stores(clock).keys);
  });

  it('keeps entries out of Redis once they expire', async () => {
    const redis = stores({ now: Date.now, advanceSeconds: () => undefined });
    await redis.replayCache.markIfAbsent('short', 0.05);
    await new Promise((resolve) => setTimeout(resolve, 120));

    expect(await client.keys(`${filePrefix}${tests}:replay:*`)).toEqual([]);
  });

  it.each([
    [undefined, /"client" is required/],
    [{}, /"client" is required/],
    [{ client: {} }, /"client" is required/],
    [{ client: 'redis://x' }, /"client" is required/],
    [{ client: {} as Redis, keyPrefix: 'a{b}' }, /"client"/],
  ])('rejects invalid options %#', (options, message) => {
    expect(() => createRedisStores(options as never)).toThrow(message);
  });

  it('warns once when the client has no commandTimeout', () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => warnings.push(message),
      error: () => undefined,
    };
    createRedisStores({ client, logger });
    const quick = new Redis({ lazyConnect: true, commandTimeout: 500 });
    createRedisStores({ client: quick, logger });
    quick.disconnect();

    expect(warnings).toEqual([
      expect.stringMatching(/Redis client has no commandTimeout/),
    ]);
  });

  it.each([
    [{ logger: { warn: 1 } }, /"logger" must have debug/],
    [{ keyPrefix: 'a{b}:' }, /"keyPrefix" must be a string without/],
    [{ keyPrefix: 7 }, /"keyPrefix" must be a string without/],
    [{ now: 5 }, /"now" must be a function/],
    [{ keyprefix: 'x' }, /"keyprefix" is not a known option/],
  ])('rejects option %p', (extra, message) => {
    expect(() => createRedisStores({ client, ...extra } as never)).toThrow(
      message,
    );
  });
});
