import { generateKeyPairSync } from 'node:crypto';

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';
import jwt from 'jsonwebtoken';
import request from 'supertest';

import { buildGuardedApp } from './helpers/app.js';
import { startJwksServer } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

let server: JwksServer;
let privatePem: string;
let publicPem: string;
let kid: string;

beforeAll(async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  privatePem = pair.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const publicJwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
  kid = await calculateJwkThumbprint(publicJwk);
  server = await startJwksServer([
    { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
  ]);
});

afterAll(async () => {
  await server.close();
});

describe('requireAuth with tokens from jsonwebtoken', () => {
  it('admits an ES256 token signed with a PEM private key', async () => {
    const token = jwt.sign({ scope: 'read:items' }, privatePem, {
      algorithm: 'ES256',
      keyid: kid,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'user-1',
      expiresIn: 300,
    });
    const { app, seen } = buildGuardedApp({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: server.url,
      algorithms: ['ES256'],
    });

    const res = await request(app)
      .get('/protected')
      .set('Authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
    expect(seen[0]?.scopes).toEqual(['read:items']);
    expect(seen[0]?.header).toMatchObject({ alg: 'ES256', kid });
  });

  it('rejects an HS256 token keyed with the public PEM', async () => {
    const token = jwt.sign({ sub: 'user-1' }, publicPem, {
      algorithm: 'HS256',
      keyid: kid,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const { app, seen } = buildGuardedApp({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: server.url,
      algorithms: ['ES256'],
    });

    const res = await request(app)
      .get('/protected')
      .set('Authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(seen).toHaveLength(0);
  });
});
