import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';

import { createRedisStores } from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

// A loopback port that nothing listens on: reserved, then released.
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('an unreachable Redis', () => {
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

  it('makes issuing and refreshing fail closed with 503', async () => {
    const stores = createRedisStores({ client });
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
      refreshTokens: stores.refreshTokens,
      denyList: stores.denyList,
      refreshTokenSecret: 'a-server-secret-of-at-least-32-characters',
      clients: [
        { clientId: 'web', secretHash: await hashClientSecret('web-secret') },
      ],
    });

    await expect(
      service.issueRefreshToken({ clientId: 'web', subject: 'u1' }),
    ).rejects.toMatchObject({ code: 'temporarily_unavailable', status: 503 });

    const app = express().use(service.tokenEndpoints());
    const res = await request(app)
      .post('/token')
      .auth('web', 'web-secret')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: 'A'.repeat(43) });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.access_token).toBeUndefined();

    const revoke = await request(app)
      .post('/revoke')
      .auth('web', 'web-secret')
      .type('form')
      .send({ token: 'A'.repeat(43) });
    expect(revoke.status).toBe(503);
  });
});
