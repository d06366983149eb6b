// Stop-the-store tests of the token endpoints on Redis. They run on a
// private redis-server on its own free port (append-only file synced on
// every write), which is killed under the running service and started
// again on the same port, paused with SIGSTOP, or restarted empty; the
// shared Redis of scripts/services.sh is not touched.

import { Redis } from 'ioredis';

import { createRedisStores } from '@portcullis/stores';
import type { RedisStores } from '@portcullis/stores';

import { createPrivateRedis } from './helpers/redis-server.js';
import type { PrivateRedis } from './helpers/redis-server.js';
import {
  expectUnavailable,
  startIssuer,
  stoppedStoreSuite,
  storedHash,
} from './helpers/stopped-store.js';
import type { RunningIssuer } from './helpers/stopped-store.js';

const COMMAND_TIMEOUT_MS = 500;

let redis: PrivateRedis;
let client: Redis;
let stores: RedisStores;

async function clientReady(): Promise<void> {
  for (let i = 0; i < 250 && client.status !== 'ready'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await client.ping();
}

beforeAll(async () => {
  redis = await createPrivateRedis();
  await redis.start();
  client = new Redis({
    host: '127.0.0.1',
    port: redis.port,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 500,
    retryStrategy: () => 50,
  });
  // Connection errors while the server is down reach callers as rejected
  // commands; the client-level event only needs a listener.
  client.on('error', () => undefined);
  stores = createRedisStores({ client, keyPrefix: 'ts_stopped:' });
  await clientReady();
});

afterAll(async () => {
  client?.disconnect();
  await redis?.dispose();
});

describe('token endpoints when Redis is killed and restarted', () => {
  stoppedStoreSuite({
    stores: () => stores,
    stop: () => redis.kill(),
    async restart() {
      await redis.start();
      await clientReady();
    },
  });
});

describe('token endpoints when Redis stops answering', () => {
  let issuer: RunningIssuer;

  beforeAll(async () => {
    issuer = await startIssuer(stores);
  });

  afterAll(async () => {
    redis.resume();
    await issuer?.close();
  });

  it('answer 503 at the command timeout; a late rotation stays retryable', async () => {
    const { familyId, refreshToken } = await issuer.service.issueRefreshToken({
      clientId: 'web',
      subject: 'u3',
    });
    const first = await issuer.refresh(refreshToken);
    expect(first.status).toBe(200);
    const current = first.body.refresh_token as string;

    redis.pause();
    try {
      expectUnavailable(await issuer.refresh(current));
    } finally {
      redis.resume();
    }

    // The rotation had reached Redis before the timeout: it runs on resume,
    // although the client was told 503.
    await clientReady();
    const late = await stores.refreshTokens.getFamily(familyId);
    expect(late).toMatchObject({ generation: 2 });
    expect(late?.revokedAtMs).toBeUndefined();

    // The successor is derived from the presented token, so the client's
    // retry inside the grace window receives the one that was stored.
    const retried = await issuer.refresh(current);
    expect(retried.status).toBe(200);
    expect(late?.currentTokenHash).toBe(storedHash(retried.body.refresh_token));
    await expect(
      stores.refreshTokens.getFamily(familyId),
    ).resolves.toMatchObject({ generation: 2 });
    expect((await issuer.refresh(retried.body.refresh_token)).status).toBe(200);
  });
});

describe('token endpoints when Redis restarts without its data', () => {
  it('refuse the lost refresh token with invalid_grant and issue nothing', async () => {
    const issuer = await startIssuer(stores);
    try {
      const { refreshToken } = await issuer.service.issueRefreshToken({
        clientId: 'web',
        subject: 'u4',
      });
      await redis.kill();
      await redis.wipe();
      await redis.start();
      await clientReady();

      const res = await issuer.refresh(refreshToken);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_grant',
        error_description: expect.any(String),
      });
    } finally {
      await redis.start();
      await issuer.close();
    }
  });
});
