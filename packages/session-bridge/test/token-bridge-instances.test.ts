import { randomBytes } from 'node:crypto';

import express from 'express';
import request from 'supertest';
import { Redis } from 'ioredis';
import { authErrorHandler } from '@portcullis/core';
import { createRedisStores } from '@portcullis/stores';
import type { RedisStores } from '@portcullis/stores';

import { createSessionMiddleware, createTokenBridge } from '../src/index.js';
import type { TokenSet } from '../src/index.js';
import { redisUrl, uniqueName } from '../../../test-support/services.js';
import { sessionCookie } from './helpers/app.js';

const AUDIENCE = 'https://api.example';

/** One application instance; several share the Redis stores. */
function buildInstance(
  stores: RedisStores,
  key: Buffer,
  refresh: () => Promise<TokenSet>,
) {
  const tokens = createTokenBridge({
    encryptionKey: key,
    refresh,
    lock: { store: stores.replayCache, ttlSeconds: 5, waitMs: 3000 },
  });
  const app = express();
  app.use(
    createSessionMiddleware({
      store: stores.sessions,
      origin: 'http://127.0.0.1:3000',
    }),
  );
  app.post('/login', async (req, res) => {
    await req.session.regenerate();
    req.session.user = 'alice';
    tokens.storeTokens(req, AUDIENCE, {
      accessToken: 'access-initial',
      expiresAt: Math.floor(Date.now() / 1000) + 5,
      refreshToken: 'refresh-initial',
    });
    res.json({});
  });
  app.get('/api', async (req, res, next) => {
    try {
      res.json({
        token: await tokens.getAccessToken(req, { audience: AUDIENCE }),
      });
    } catch (error) {
      next(error);
    }
  });
  app.use(authErrorHandler());
  return app;
}

describe('createTokenBridge across instances', () => {
  let client: Redis;
  let stores: RedisStores;

  beforeAll(() => {
    client = new Redis(redisUrl(), {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
    });
    stores = createRedisStores({ client, keyPrefix: `${uniqueName('bff')}:` });
  });

  afterAll(() => {
    client.disconnect();
  });

  it('makes 20 concurrent calls on two instances cause exactly one refresh', async () => {
    const key = randomBytes(32);
    let refreshes = 0;
    const refresh = async (): Promise<TokenSet> => {
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return {
        accessToken: `access-${refreshes}`,
        expiresAt: Math.floor(Date.now() / 1000) + 300,
        refreshToken: `refresh-${refreshes}`,
      };
    };
    const one = buildInstance(stores, key, refresh);
    const two = buildInstance(stores, key, refresh);
    const login = await request(one).post('/login');
    const cookie = sessionCookie(login.headers['set-cookie'])!;

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(i % 2 === 0 ? one : two)
          .get('/api')
          .set('Cookie', cookie),
      ),
    );

    expect(refreshes).toBe(1);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.token))).toEqual(
      new Set(['access-1']),
    );
  });

  it('answers 503 when the instance holding the lock does not finish in time', async () => {
    const key = randomBytes(32);
    let release: (tokens: TokenSet) => void = () => {};
    const slowRefresh = () =>
      new Promise<TokenSet>((resolve) => {
        release = resolve;
      });
    const holder = buildInstance(stores, key, slowRefresh);
    const waiter = express();
    waiter.use(
      createSessionMiddleware({
        store: stores.sessions,
        origin: 'http://127.0.0.1:3000',
      }),
    );
    const bridge = createTokenBridge({
      encryptionKey: key,
      refresh: async () => ({ accessToken: 'never-used', expiresAt: 1 }),
      lock: { store: stores.replayCache, waitMs: 300 },
    });
    waiter.get('/api', async (req, res, next) => {
      try {
        res.json({
          token: await bridge.getAccessToken(req, { audience: AUDIENCE }),
        });
      } catch (error) {
        next(error);
      }
    });
    waiter.use(authErrorHandler());

    const cookie = sessionCookie(
      (await request(holder).post('/login')).headers['set-cookie'],
    )!;
    const held = request(holder)
      .get('/api')
      .set('Cookie', cookie)
      .then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await request(waiter).get('/api').set('Cookie', cookie);
    release({
      accessToken: 'late',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });

    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
    expect((await held).body).toEqual({ token: 'late' });
  });
});
