import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type {
  NextFunction,
  Request,
  RequestHandler,
  Response,
  Router,
} from 'express';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import type { JwtPayload } from 'jsonwebtoken';
import request from 'supertest';

import { createTokenService } from '../src/token-service.js';
import type { TokenService } from '../src/token-service.js';
import type { SigningAlgorithm } from '../src/signing-key-shape.js';
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
    expect(() =>
      jwt.verify(tamper(accessToken), pem, { algorithms: ['ES256'] }),
    ).toThrow(jwt.JsonWebTokenError);

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

  it('verify RS256 tokens with the published key as PEM', async () => {
    const rsa = await createTokenService({
      issuer: ISSUER,
      algorithm: 'RS256',
    });
    const key = createPublicKey({
      key: rsa.jwks().keys[0] as JsonWebKey,
      format: 'jwk',
    });
    const pem = key.export({ type: 'spki', format: 'pem' }) as string;
    const { accessToken } = await rsa.mintAccessToken({
      subject: 'user-1',
      audience: AUDIENCE,
      clientId: 'web',
    });
    rsa.close();
    const options = {
      algorithms: ['RS256' as const],
      issuer: ISSUER,
      audience: AUDIENCE,
    };

    expect(jwt.verify(accessToken, pem, options)).toMatchObject({
      sub: 'user-1',
    });
    expect(() => jwt.verify(tamper(accessToken), pem, options)).toThrow(
      jwt.JsonWebTokenError,
    );
  });
});

// express-oauth2-jwt-bearer declares its own `req.auth`, which clashes
// with jwt-guard's declaration in one program: load it without its types.
const BEARER_PACKAGE: string = 'express-oauth2-jwt-bearer';
type BearerAuth = (options: Record<string, unknown>) => RequestHandler;
type BearerRequest = { auth?: { payload: { sub?: string } } };

/** The token with one character of its payload replaced. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [
    string,
    string,
    string,
  ];
  const at = Math.floor(payload.length / 2);
  const swapped = payload[at] === 'A' ? 'B' : 'A';
  const changed = `${payload.slice(0, at)}${swapped}${payload.slice(at + 1)}`;
  return `${header}.${changed}.${signature}`;
}

describe.each(['ES256', 'EdDSA', 'RS256'] as SigningAlgorithm[])(
  '%s tokens from the token service with other verifiers',
  (algorithm) => {
    let server: Server;
    let issuer: string;
    let tokens: TokenService;
    let jwks: Router | undefined;

    beforeAll(async () => {
      // The issuer URL needs the port, so the server starts first and
      // serves the service's JWKS route once the service exists.
      const app = express();
      app.use((req: Request, res: Response, next: NextFunction) => {
        if (jwks === undefined) next();
        else jwks(req, res, next);
      });
      server = createServer(app);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      tokens = await createTokenService({ issuer, algorithm });
      jwks = tokens.router();
      const { auth } = (await import(BEARER_PACKAGE)) as { auth: BearerAuth };
      app.get(
        '/api',
        auth({
          issuer,
          audience: AUDIENCE,
          jwksUri: tokens.jwksUri,
          tokenSigningAlg: algorithm,
        }),
        (req: Request, res: Response) => {
          res.json({ sub: (req as BearerRequest).auth?.payload.sub });
        },
      );
    });

    afterAll(async () => {
      tokens.close();
      server.close();
      await once(server, 'close');
    });

    async function mint(): Promise<string> {
      const { accessToken } = await tokens.mintAccessToken({
        subject: 'user-1',
        audience: AUDIENCE,
        clientId: 'web',
        scope: ['read:items'],
      });
      return accessToken;
    }

    it('verify in jose with the local key set', async () => {
      const token = await mint();
      const keys = createLocalJWKSet(tokens.jwks());
      const options = {
        issuer,
        audience: AUDIENCE,
        algorithms: [algorithm],
        typ: 'at+jwt',
      };

      const { payload, protectedHeader } = await jwtVerify(
        token,
        keys,
        options,
      );
      expect(protectedHeader.alg).toBe(algorithm);
      expect(payload).toMatchObject({ iss: issuer, sub: 'user-1' });
      await expect(
        jwtVerify(tamper(token), keys, options),
      ).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });

    it('verify in jose with the JWKS served over HTTP', async () => {
      const token = await mint();
      const keys = createRemoteJWKSet(new URL(tokens.jwksUri));
      const options = { issuer, audience: AUDIENCE, algorithms: [algorithm] };

      const { payload } = await jwtVerify(token, keys, options);
      expect(payload.client_id).toBe('web');
      await expect(
        jwtVerify(tamper(token), keys, options),
      ).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });

    it('verify in express-oauth2-jwt-bearer against the served JWKS', async () => {
      const token = await mint();
      const api = request(server);

      const accepted = await api.get('/api').auth(token, { type: 'bearer' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({ sub: 'user-1' });

      const refused = await api
        .get('/api')
        .auth(tamper(token), { type: 'bearer' });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/invalid_token/);
    });
  },
);
