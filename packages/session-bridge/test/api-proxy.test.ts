import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import request from 'supertest';
import { authErrorHandler } from '@portcullis/core';
import { createMemorySessionStore } from '@portcullis/stores';

import {
  createApiProxy,
  createSessionMiddleware,
  createTokenBridge,
} from '../src/index.js';
import { sessionCookie } from './helpers/app.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  cookie: string | undefined;
  body: string;
}

let downstream: Server;
let target: string;
const seen: Seen[] = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  downstream = createServer(async (req, res) => {
    seen.push({
      method: req.method!,
      url: req.url!,
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      body: await readBody(req),
    });
    res.setHeader('content-type', 'application/json');
    res.setHeader('set-cookie', 'downstream=1');
    res.statusCode = req.url!.includes('missing') ? 404 : 200;
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) =>
    downstream.listen(0, '127.0.0.1', resolve),
  );
  const { port } = downstream.address() as AddressInfo;
  target = `http://127.0.0.1:${port}/v1`;
});

afterAll(async () => {
  downstream.closeAllConnections();
  await new Promise((resolve) => downstream.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

function buildProxyApp(proxyTarget = target) {
  const tokens = createTokenBridge({
    encryptionKey: randomBytes(32),
    refresh: async () => ({
      accessToken: 'access-from-refresh',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    }),
  });
  const app = express();
  app.use(
    createSessionMiddleware({
      store: createMemorySessionStore(),
      origin: 'http://127.0.0.1:3000',
    }),
  );
  app.post('/login', (req, res) => {
    req.session.user = 'alice';
    res.json({});
  });
  app.use(
    '/bff',
    createApiProxy({ tokens, target: proxyTarget, timeoutMs: 2000 }),
  );
  app.use(authErrorHandler());
  return app;
}

async function signedIn(app: express.Express) {
  const res = await request(app).post('/login');
  return sessionCookie(res.headers['set-cookie'])!;
}

describe('createApiProxy', () => {
  it('forwards a call with the session token and without the cookie', async () => {
    const app = buildProxyApp();
    const cookie = await signedIn(app);
    const res = await request(app)
      .post('/bff/orders?limit=2')
      .set('Cookie', cookie)
      .set('Authorization', 'Bearer from-the-browser')
      .send({ item: 'book' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/v1/orders?limit=2',
        authorization: 'Bearer access-from-refresh',
        cookie: undefined,
        body: '{"item":"book"}',
      },
    ]);
    expect(String(res.headers['set-cookie'])).not.toContain('downstream');
  });

  it('passes the downstream status through', async () => {
    const app = buildProxyApp();
    const cookie = await signedIn(app);
    const res = await request(app).get('/bff/missing').set('Cookie', cookie);

    expect(res.status).toBe(404);
  });

  it('refuses a path that climbs out of the API with 400', async () => {
    const app = buildProxyApp();
    const cookie = await signedIn(app);
    const res = await request(app)
      .get('/bff/%2e%2e/admin')
      .set('Cookie', cookie);

    expect(res.status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  it('answers 502 when the downstream API is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const app = buildProxyApp(`http://127.0.0.1:${port}`);
    const cookie = await signedIn(app);
    const res = await request(app).get('/bff/orders').set('Cookie', cookie);

    expect(res.status).toBe(502);
    expect(res.text).not.toContain('ECONNREFUSED');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing token bridge', { tokens: undefined }, '"tokens"'],
    [
      'a non-loopback http target',
      { target: 'http://api.example' },
      '"target"',
    ],
    ['an unknown option', { audiance: 'x' }, '"audiance"'],
  ])('rejects %s at startup', (_name, override, path) => {
    const tokens = createTokenBridge({
      encryptionKey: randomBytes(32),
      refresh: async () => ({ accessToken: 'a', expiresAt: 1 }),
    });

    expect(() =>
      createApiProxy({ tokens, target, ...override } as never),
    ).toThrow(path);
  });
});
