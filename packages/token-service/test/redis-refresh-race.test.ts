import { Redis } from 'ioredis';

import { createRedisStores } from '@portcullis/stores';

import { refreshRaceSuite } from './helpers/refresh-race.js';
import { redisUrl, uniqueName } from '../../../test-support/services.js';

const prefix = `${uniqueName('ts_race')}:`;
let client: Redis;

beforeAll(() => {
  client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('refresh rotation on Redis', () => {
  refreshRaceSuite(() => createRedisStores({ client, keyPrefix: prefix }));
});
