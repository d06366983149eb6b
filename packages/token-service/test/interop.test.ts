import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

import jwt from 'jsonwebtoken';
import type { JwtPayload } from 'jsonwebtoken';
import request from 'supertest';

import { createTokenService } from '../src/token-service.js';
import type { TokenService } from '../src/token-service.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

let service: TokenService;

beforeAll(async () => {
  service = await createTokenService({ issuer: ISSUER });
});

async function publicPemFromRoute(): Promise<string> {
  const express = (await import('express')).default;
  const app = express();
  app.use(service.router());
  const res = await request(app).get('/.well-known/jwks.json');
  const key = createPublicKey({
    key: res.body.keys[0] as JsonWebKey,
    format: 'jwk',
  });
  return key.export({ type: 'spki', format: 'pem' }) as string;
}

describe('tokens from createTokenService with jsonwebtoken', () => {
  it('verify with the published key as PEM', async () => {
    const pem = await publicPemFromRoute();
    const { accessToken, jti } = await service.mintAccessToken({
      subject: 'user-1',
      audience: AUDIENCE,
      clientId: 'web',
      scope: ['read:items'],
      sessionId: 'session-1',
    });

    const verified = jwt.verify(accessToken, pem, {
      algorithms: ['ES256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      complete: true,
    });

    expect(verified.header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(verified.payload as JwtPayload).toMatchObject({
      sub: 'user-1',
      client_id: 'web',
      scope: 'read:items',
      sid: 'session-1',
      jti,
    });
  });

  it('fail with jsonwebtoken for another audience', async () => {
    const pem = await publicPemFromRoute();
    const { accessToken } = await service.mintAccessToken({
      subject: 'user-1',
      audience: AUDIENCE,
      clientId: 'web',
    });

    expect(() =>
      jwt.verify(accessToken, pem, {
        algorithms: ['ES256'],
        audience: 'https://other.example.com',
      }),
    ).toThrow(jwt.JsonWebTokenError);
  });
});
