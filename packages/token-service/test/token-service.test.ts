import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import request from 'supertest';

import { authErrorHandler, silentLogger } from '@portcullis/core';
import { requireAuth } from '@portcullis/jwt-guard';

import { createTokenService } from '../src/token-service.js';
import {
  AUDIENCE,
  ISSUER,
  PRIVATE_MEMBERS,
  privateJwkFor,
} from './helpers/keys.js';

describe('createTokenService', () => {
  describe('when an option is bad', () => {
    it.each([
      ['a missing issuer', {}, 'issuer'],
      [
        'an http issuer off loopback',
        { issuer: 'http://auth.example.com' },
        'issuer',
      ],
      [
        'an unsupported algorithm',
        { issuer: ISSUER, algorithm: 'PS256' },
        'algorithm',
      ],
      [
        'a public signing key',
        {
          issuer: ISSUER,
          signingKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
        },
        'signingKey',
      ],
      [
        'an EdDSA key for ES256',
        {
          issuer: ISSUER,
          signingKey: { kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'd' },
        },
        'signingKey',
      ],
      [
        'an unknown option key',
        { issuer: ISSUER, audiance: AUDIENCE },
        'audiance',
      ],
    ])('throws synchronously for %s', (_, options, path) => {
      const attempt = () => createTokenService(options as never);

      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(`option "${path}"`);
    });

    it('rejects a key whose parts do not match', async () => {
      const privateJwk = await privateJwkFor('ES256');
      const other = await privateJwkFor('ES256');

      await expect(
        createTokenService({
          issuer: ISSUER,
          signingKey: { ...privateJwk, x: other.x, y: other.y },
        }),
      ).rejects.toThrow('option "signingKey"');
    });
  });

  describe('when the options are valid', () => {
    it('exposes the issuer and the derived jwksUri', async () => {
      const service = await createTokenService({ issuer: `${ISSUER}/` });

      expect(service.issuer).toBe(`${ISSUER}/`);
      expect(service.jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
      expect(Object.isFrozen(service)).toBe(true);
    });

    it('returns a fresh public copy of the set from jwks()', async () => {
      const privateJwk = await privateJwkFor('EdDSA');
      const service = await createTokenService({
        issuer: ISSUER,
        algorithm: 'EdDSA',
        signingKey: privateJwk,
      });

      const jwks = service.jwks();
      (jwks.keys[0] as Record<string, unknown>).x = 'changed';

      expect(service.jwks().keys).toEqual([
        expect.objectContaining({ kty: 'OKP', x: privateJwk.x, alg: 'EdDSA' }),
      ]);
      for (const name of PRIVATE_MEMBERS) {
        expect(service.jwks().keys[0]).not.toHaveProperty(name);
      }
    });

    it('logs the start without key material', async () => {
      const info = jest.fn();
      const privateJwk = await privateJwkFor('ES256');

      await createTokenService({
        issuer: ISSUER,
        signingKey: privateJwk,
        logger: { ...silentLogger, info },
      });

      expect(info).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(info.mock.calls)).not.toContain(privateJwk.d);
    });
  });

  describe('with the JWT guard over a real loopback server', () => {
    let server: Server;
    let baseUrl: string;

    beforeAll(async () => {
      const app = express();
      server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

      const service = await createTokenService({ issuer: baseUrl });
      app.use(service.router());
      app.get(
        '/api/items',
        requireAuth({
          issuer: service.issuer,
          audience: AUDIENCE,
          jwksUri: service.jwksUri,
          algorithms: ['ES256'],
        }),
        (req, res) => {
          res.json({ subject: req.auth?.claims.sub, scopes: req.auth?.scopes });
        },
      );
      app.post('/token', async (_req, res) => {
        res.json(
          await service.mintAccessToken({
            subject: 'user-1',
            audience: AUDIENCE,
            clientId: 'web',
            scope: ['read:items'],
          }),
        );
      });
      app.use(authErrorHandler());
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('admits a token the service minted', async () => {
      const minted = await request(baseUrl).post('/token');

      const res = await request(baseUrl)
        .get('/api/items')
        .set('Authorization', `Bearer ${minted.body.accessToken}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: 'user-1', scopes: ['read:items'] });
    });

    it('refuses a token signed by another instance', async () => {
      const other = await createTokenService({ issuer: baseUrl });
      const { accessToken } = await other.mintAccessToken({
        subject: 'user-1',
        audience: AUDIENCE,
        clientId: 'web',
      });

      const res = await request(baseUrl)
        .get('/api/items')
        .set('Authorization', `Bearer ${accessToken}`);

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain(
        'error="invalid_token"',
      );
    });
  });
});
