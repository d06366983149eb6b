import { randomBytes } from 'node:crypto';

import express from 'express';
import request from 'supertest';
import { InvalidGrantError, authErrorHandler } from '@portcullis/core';
import { createMemorySessionStore } from '@portcullis/stores';
import type { SessionStore } from '@portcullis/stores';

import { createSessionMiddleware, createTokenBridge } from '../src/index.js';
import type { RefreshRequest, TokenSet } from '../src/index.js';
import { sessionCookie } from './helpers/app.js';

const AUDIENCE = 'https://api.example';

interface Harness {
  app: express.Express;
  calls: RefreshRequest[];
  writes: string[];
  next: { result: () => Promise<TokenSet> };
}

function buildBridgeApp(): Harness {
  const calls: RefreshRequest[] = [];
  const writes: string[] = [];
  const next = {
    result: async (): Promise<TokenSet> => ({
      accessToken: `access-${calls.length}`,
      expiresAt: Math.floor(Date.now() / 1000) + 300,
      refreshToken: `refresh-${calls.length}`,
    }),
  };
  const inner = createMemorySessionStore();
  const store: SessionStore = {
    ...inner,
    set: (key, record, ttl) => {
      writes.push(JSON.stringify(record));
      return inner.set(key, record, ttl);
    },
  };
  const tokens = createTokenBridge({
    encryptionKey: randomBytes(32),
    refresh: async (req) => {
      calls.push(req);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return next.result();
    },
  });

  const app = express();
  app.use(createSessionMiddleware({ store, origin: 'http://127.0.0.1:3000' }));
  app.post('/login', async (req, res) => {
    await req.session.regenerate();
    req.session.user = 'alice';
    const expiresIn = Number(req.query.expiresIn ?? 300);
    tokens.storeTokens(req, AUDIENCE, {
      accessToken: 'access-initial',
      expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
      refreshToken: 'refresh-initial',
    });
    res.json({});
  });
  app.get('/api', async (req, res, nextFn) => {
    try {
      res.json({
        token: await tokens.getAccessToken(req, { audience: AUDIENCE }),
      });
    } catch (error) {
      nextFn(error);
    }
  });
  app.get('/who', (req, res) => res.json({ user: req.session.user ?? null }));
  app.use(authErrorHandler());
  return { app, calls, writes, next };
}

async function login(app: express.Express, expiresIn: number) {
  const res = await request(app).post(`/login?expiresIn=${expiresIn}`);
  return sessionCookie(res.headers['set-cookie'])!;
}

describe('createTokenBridge', () => {
  it('serves the stored token while it is far from expiry', async () => {
    const { app, calls } = buildBridgeApp();
    const cookie = await login(app, 300);
    const res = await request(app).get('/api').set('Cookie', cookie);

    expect(res.body).toEqual({ token: 'access-initial' });
    expect(calls).toHaveLength(0);
  });

  it('keeps tokens sealed in the store', async () => {
    const { app, writes } = buildBridgeApp();
    await login(app, 300);

    expect(writes.length).toBeGreaterThan(0);
    for (const record of writes) {
      expect(record).not.toContain('access-initial');
      expect(record).not.toContain('refresh-initial');
    }
  });

  it('refreshes a token about to expire with the stored refresh token', async () => {
    const { app, calls } = buildBridgeApp();
    const cookie = await login(app, 10);
    const first = await request(app).get('/api').set('Cookie', cookie);
    const second = await request(app).get('/api').set('Cookie', cookie);

    expect(first.body).toEqual({ token: 'access-1' });
    expect(second.body).toEqual({ token: 'access-1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      audience: AUDIENCE,
      refreshToken: 'refresh-initial',
    });
  });

  it('shares one refresh among 20 concurrent calls of one session', async () => {
    const { app, calls } = buildBridgeApp();
    const cookie = await login(app, 10);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app).get('/api').set('Cookie', cookie),
      ),
    );

    expect(calls).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.token))).toEqual(
      new Set(['access-1']),
    );
  });

  it('keeps the old refresh token when the issuer does not rotate it', async () => {
    const { app, calls, next } = buildBridgeApp();
    next.result = async () => ({
      accessToken: `access-${calls.length}`,
      expiresAt: Math.floor(Date.now() / 1000) + 5,
    });
    const cookie = await login(app, 5);
    await request(app).get('/api').set('Cookie', cookie);
    await request(app).get('/api').set('Cookie', cookie);

    expect(calls.map((c) => c.refreshToken)).toEqual([
      'refresh-initial',
      'refresh-initial',
    ]);
  });

  it('ends the session when the refresh is refused as invalid_grant', async () => {
    const { app, next } = buildBridgeApp();
    next.result = () => Promise.reject(new InvalidGrantError('reused'));
    const cookie = await login(app, 10);
    const res = await request(app).get('/api').set('Cookie', cookie);
    const after = await request(app).get('/who').set('Cookie', cookie);

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
    expect(after.body).toEqual({ user: null });
  });

  it('answers 503 and keeps the session when the issuer cannot answer', async () => {
    const { app, next } = buildBridgeApp();
    next.result = () => Promise.reject(new TypeError('fetch failed'));
    const cookie = await login(app, 10);
    const res = await request(app).get('/api').set('Cookie', cookie);
    const after = await request(app).get('/who').set('Cookie', cookie);

    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
    expect(res.text).not.toContain('fetch failed');
    expect(after.body).toEqual({ user: 'alice' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a short key', { encryptionKey: randomBytes(16) }, '"encryptionKey"'],
    ['a string key', { encryptionKey: 'k'.repeat(32) }, '"encryptionKey"'],
    ['a missing refresh', { refresh: undefined }, '"refresh"'],
    ['a zero margin', { refreshMarginSeconds: 0 }, '"refreshMarginSeconds"'],
    ['an unknown option', { key: 'x' }, '"key"'],
  ])('rejects %s at startup', (_name, override, path) => {
    const options = {
      encryptionKey: randomBytes(32),
      refresh: async () => ({ accessToken: 'a', expiresAt: 1 }),
      ...override,
    };

    expect(() => createTokenBridge(options as never)).toThrow(path);
  });
});
