import { Redis } from 'ioredis';

import { createRedisStores } from '@portcullis/stores';

import { sharedRingSuite } from './helpers/shared-ring.js';
import { redisUrl, uniqueName } from '../../../test-support/services.js';

const base = uniqueName('ts_keys');
let client: Redis;
let count = 0;

beforeAll(() => {
  client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys = await client.keys(`${base}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('two instances sharing a Redis KeyStore', () => {
  sharedRingSuite(async () => {
    count += 1;
    return createRedisStores({ client, keyPrefix: `${base}_${count}:` }).keys;
  });
});
