import express from 'express';
import { decodeJwt } from 'jose';
import request from 'supertest';

import {
  createMemoryDenyList,
  createMemoryRefreshTokenStore,
} from '@portcullis/stores';
import type { RefreshTokenStore } from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';
const FORM = 'application/x-www-form-urlencoded';

async function setup(
  refreshTokens: RefreshTokenStore = createMemoryRefreshTokenStore(),
) {
  const denyList = createMemoryDenyList();
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    refreshTokens,
    denyList,
    refreshTokenSecret: SECRET,
    clients: [
      {
        clientId: 'web',
        secretHash: await hashClientSecret('web-secret'),
        grantTypes: ['refresh_token'],
      },
      {
        clientId: 'svc:a',
        secretHash: await hashClientSecret('p@ss word'),
        scope: ['read', 'write'],
        audience: 'https://svc.example.com',
      },
    ],
  });
  const app = express();
  app.use(service.tokenEndpoints());
  return { service, app, denyList, refreshTokens };
}

function basic(id: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

const WEB = basic('web', 'web-secret');
const SVC = basic('svc:a', 'p@ss word');

function expectOAuthError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body.error).toBe(code);
  expect(typeof res.body.error_description).toBe('string');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |Error:/);
}

describe('POST /token', () => {
  it('client_credentials with client_secret_basic returns an RFC 6749 5.1 response', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', SVC)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'read' });

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'read',
    });
    expect(decodeJwt(res.body.access_token)).toMatchObject({
      sub: 'svc:a',
      client_id: 'svc:a',
      aud: 'https://svc.example.com',
      scope: 'read',
    });
  });

  it('client_credentials with client_secret_post grants the client scope by default', async () => {
    const { app } = await setup();
    const res = await request(app).post('/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: 'svc:a',
      client_secret: 'p@ss word',
    });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('read write');
  });

  it('refresh_token rotates and returns the successor', async () => {
    const { app, service } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
      scope: ['read'],
    });
    const res = await request(app)
      .post('/token')
      .set('Authorization', WEB)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: expect.any(String),
      scope: 'read',
    });
    expect(res.body.refresh_token).not.toBe(first.refreshToken);
    expect(decodeJwt(res.body.access_token).sid).toBe(first.familyId);
  });

  it('answers a reused refresh token with invalid_grant and revokes the family', async () => {
    const clock = { ms: Date.now() };
    const { app, service, denyList } = await setup(
      createMemoryRefreshTokenStore({ now: () => clock.ms }),
    );
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
    });
    const send = (token: string) =>
      request(app)
        .post('/token')
        .set('Authorization', WEB)
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: token });
    const ok = await send(first.refreshToken);
    clock.ms += 60_000;
    const replay = await send(first.refreshToken);

    expectOAuthError(replay, 400, 'invalid_grant');
    expect(JSON.stringify(replay.body)).not.toContain(first.refreshToken);
    expect(await denyList.has(first.familyId)).toBe(true);
    expectOAuthError(await send(ok.body.refresh_token), 400, 'invalid_grant');
  });

  it.each([
    ['a wrong secret', basic('svc:a', 'nope')],
    ['an unknown client', basic('ghost', 'p@ss word')],
    ['a malformed header', 'Basic !!!'],
    ['a Bearer header', 'Bearer abc'],
  ])(
    'refuses %s with invalid_client 401 and a Basic challenge',
    async (_l, auth) => {
      const { app } = await setup();
      const res = await request(app)
        .post('/token')
        .set('Authorization', auth)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectOAuthError(res, 401, 'invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    },
  );

  it('refuses a request without client credentials', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'svc:a' });
    expectOAuthError(res, 401, 'invalid_client');
  });

  it('refuses two authentication methods at once', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', SVC)
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: 'svc:a',
        client_secret: 'p@ss word',
      });
    expectOAuthError(res, 400, 'invalid_request');
  });

  it.each([
    ['no grant_type', 'client_id=svc%3Aa', 'invalid_request'],
    ['an unknown grant_type', 'grant_type=password', 'unsupported_grant_type'],
    [
      'a repeated parameter',
      'grant_type=client_credentials&grant_type=client_credentials',
      'invalid_request',
    ],
    [
      'a scope beyond the client',
      'grant_type=client_credentials&scope=admin',
      'invalid_scope',
    ],
    [
      'a refresh grant without refresh_token',
      'grant_type=refresh_token',
      'invalid_request',
    ],
  ])('refuses %s with 400', async (_l, body, code) => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', SVC)
      .type(FORM)
      .send(body);
    expectOAuthError(res, 400, code);
  });

  it('refuses a grant the client may not use with unauthorized_client', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', WEB)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expectOAuthError(res, 400, 'unauthorized_client');
  });

  it('refuses a refresh without refresh_token with invalid_request', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', WEB)
      .type('form')
      .send({ grant_type: 'refresh_token' });
    expectOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a JSON body with invalid_request', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/token')
      .set('Authorization', SVC)
      .send({ grant_type: 'client_credentials' });
    expectOAuthError(res, 400, 'invalid_request');
  });

  it("refuses another client's refresh token with invalid_grant and leaves it usable", async () => {
    const { app, service } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'svc:a',
      subject: 'u1',
    });
    const res = await request(app)
      .post('/token')
      .set('Authorization', WEB)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken });
    expectOAuthError(res, 400, 'invalid_grant');
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'svc:a' }),
    ).resolves.toHaveProperty('refreshToken');
  });

  it('fails closed with 503 temporarily_unavailable when the store fails', async () => {
    const store = createMemoryRefreshTokenStore();
    const { app, service } = await setup({
      ...store,
      rotate: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1')),
    });
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
    });
    const res = await request(app)
      .post('/token')
      .set('Authorization', WEB)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: first.refreshToken });
    expectOAuthError(res, 503, 'temporarily_unavailable');
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });
});

describe('tokenEndpoints()', () => {
  it('refuses a client_credentials client without any audience', async () => {
    const service = await createTokenService({
      issuer: ISSUER,
      clients: [{ clientId: 'x', secretHash: await hashClientSecret('x') }],
    });
    expect(() => service.tokenEndpoints()).toThrow(/audience/);
  });

  it('refuses a bad client configuration at startup', () => {
    expect(() =>
      createTokenService({
        issuer: ISSUER,
        clients: [{ clientId: 'x', secretHash: 'plaintext' }],
      }),
    ).toThrow(/clients\[0\]\.secretHash/);
  });
});
