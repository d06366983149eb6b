import express from 'express';
import request from 'supertest';

import { requireAuth } from '@portcullis/jwt-guard';
import {
  createMemoryDenyList,
  createMemoryRefreshTokenStore,
} from '@portcullis/stores';

import { createTokenService, hashClientSecret } from '../src/index.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

const WEB = basic('web', 'web-secret');
const OTHER = basic('other', 'other-secret');

async function setup() {
  const refreshTokens = createMemoryRefreshTokenStore();
  const denyList = createMemoryDenyList();
  const service = await createTokenService({
    issuer: ISSUER,
    audience: AUDIENCE,
    refreshTokens,
    denyList,
    refreshTokenSecret: SECRET,
    clients: [
      { clientId: 'web', secretHash: await hashClientSecret('web-secret') },
      { clientId: 'other', secretHash: await hashClientSecret('other-secret') },
    ],
  });
  const app = express();
  app.use(service.tokenEndpoints());
  const post = (path: string, auth: string, body: Record<string, string>) =>
    request(app).post(path).set('Authorization', auth).type('form').send(body);
  return { service, app, denyList, refreshTokens, post };
}

describe('POST /revoke (RFC 7009)', () => {
  it('revokes the whole family of a refresh token and deny-lists its sid', async () => {
    const { service, post, denyList } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
    });
    const next = await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });

    const res = await post('/revoke', WEB, {
      token: next.refreshToken,
      token_type_hint: 'refresh_token',
    });

    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await denyList.has(first.familyId)).toBe(true);
    await expect(
      service.refresh({ refreshToken: next.refreshToken, clientId: 'web' }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('deny-lists the jti of its own access token, which the guard then refuses', async () => {
    const { service, post, denyList } = await setup();
    const issued = await service.mintAccessToken({
      subject: 'u1',
      audience: AUDIENCE,
      clientId: 'web',
    });
    const api = express();
    api.use(service.router());
    const server = api.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      api.get(
        '/api',
        requireAuth({
          issuer: ISSUER,
          audience: AUDIENCE,
          jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
          algorithms: ['ES256'],
          denyList: { store: denyList, claim: 'jti' },
        }),
        (_req, res) => res.send('ok'),
      );
      const call = () =>
        request(api)
          .get('/api')
          .set('Authorization', `Bearer ${issued.accessToken}`);
      expect((await call()).status).toBe(200);

      expect(
        (await post('/revoke', WEB, { token: issued.accessToken })).status,
      ).toBe(200);

      expect(await denyList.has(issued.jti)).toBe(true);
      expect((await call()).status).toBe(401);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers 200 for an unknown token and changes nothing', async () => {
    const { post } = await setup();
    const res = await post('/revoke', WEB, { token: 'not-a-token-we-know' });
    expect(res.status).toBe(200);
  });

  it("answers 200 for another client's token without revoking it", async () => {
    const { service, post, denyList } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
    });
    const access = await service.mintAccessToken({
      subject: 'u1',
      audience: AUDIENCE,
      clientId: 'web',
    });

    expect(
      (await post('/revoke', OTHER, { token: first.refreshToken })).status,
    ).toBe(200);
    expect(
      (await post('/revoke', OTHER, { token: access.accessToken })).status,
    ).toBe(200);

    expect(await denyList.has(first.familyId)).toBe(false);
    expect(await denyList.has(access.jti)).toBe(false);
    await expect(
      service.refresh({ refreshToken: first.refreshToken, clientId: 'web' }),
    ).resolves.toHaveProperty('refreshToken');
  });

  it('requires client authentication and the token parameter', async () => {
    const { post } = await setup();
    const bad = await post('/revoke', basic('web', 'wrong'), { token: 'x' });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
    const missing = await post('/revoke', WEB, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });
});

describe('POST /introspect (RFC 7662)', () => {
  it('reports an access token it issued as active, with its claims', async () => {
    const { service, post } = await setup();
    const issued = await service.mintAccessToken({
      subject: 'u1',
      audience: AUDIENCE,
      clientId: 'web',
      scope: ['read'],
    });

    const res = await post('/introspect', OTHER, { token: issued.accessToken });

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      active: true,
      token_type: 'access_token',
      iss: ISSUER,
      sub: 'u1',
      aud: AUDIENCE,
      client_id: 'web',
      scope: 'read',
      jti: issued.jti,
      exp: issued.expiresAt,
    });
  });

  it('reports a revoked, foreign or forged access token as inactive', async () => {
    const { service, post } = await setup();
    const stranger = await createTokenService({ issuer: ISSUER });
    const forged = await stranger.mintAccessToken({
      subject: 'u1',
      audience: AUDIENCE,
      clientId: 'web',
    });
    const issued = await service.mintAccessToken({
      subject: 'u1',
      audience: AUDIENCE,
      clientId: 'web',
    });
    await post('/revoke', WEB, { token: issued.accessToken });

    for (const token of [forged.accessToken, issued.accessToken, 'garbage']) {
      const res = await post('/introspect', WEB, { token });
      expect(res.body).toEqual({ active: false });
    }
  });

  it('reports the current refresh token as active for its client only', async () => {
    const { service, post } = await setup();
    const first = await service.issueRefreshToken({
      clientId: 'web',
      subject: 'u1',
      scope: ['read'],
      sessionId: 's1',
    });

    const own = await post('/introspect', WEB, { token: first.refreshToken });
    expect(own.body).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      client_id: 'web',
      sub: 'u1',
      scope: 'read',
      sid: 's1',
      exp: expect.any(Number),
    });
    expect(
      (await post('/introspect', OTHER, { token: first.refreshToken })).body,
    ).toEqual({ active: false });

    await service.refresh({
      refreshToken: first.refreshToken,
      clientId: 'web',
    });
    expect(
      (await post('/introspect', WEB, { token: first.refreshToken })).body,
    ).toEqual({ active: false });
  });

  it('requires client authentication', async () => {
    const { post } = await setup();
    const res = await post('/introspect', basic('ghost', 'x'), { token: 'x' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
  });
});

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  it('lists the endpoints, grants and client authentication methods', async () => {
    const { app } = await setup();
    const res = await request(app).get(
      '/.well-known/oauth-authorization-server',
    );
    const methods = [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ];
    const algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      grant_types_supported: ['refresh_token', 'client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: methods,
      token_endpoint_auth_signing_alg_values_supported: algorithms,
      revocation_endpoint: `${ISSUER}/revoke`,
      revocation_endpoint_auth_methods_supported: methods,
      revocation_endpoint_auth_signing_alg_values_supported: algorithms,
      introspection_endpoint: `${ISSUER}/introspect`,
      introspection_endpoint_auth_methods_supported: methods,
      introspection_endpoint_auth_signing_alg_values_supported: algorithms,
    });
    const jwks = await request(app).get('/.well-known/jwks.json');
    expect(jwks.body.keys).toHaveLength(1);
  });

  it('omits refresh_token when no refresh store is configured', async () => {
    const service = await createTokenService({
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const app = express().use(service.tokenEndpoints());
    const res = await request(app).get(
      '/.well-known/oauth-authorization-server',
    );
    expect(res.body.grant_types_supported).toEqual(['client_credentials']);
  });
});
