import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { decodeJwt } from 'jose';

import { createVerifier } from '@portcullis/jwt-guard';
import { createMemoryKeyStore } from '@portcullis/stores';

import { createTokenService } from '../src/index.js';
import type { TokenService } from '../src/index.js';
import { KEK, kidOf, mint, waitFor } from './helpers/key-ring.js';
import { AUDIENCE } from './helpers/keys.js';

/** A moment past `exp` and the guard's 5 s clock tolerance. */
function afterLife(token: string): { now: number } {
  return { now: ((decodeJwt(token).exp as number) + 5) * 1000 };
}

/** The guard verifies at a moment inside the token's life. */
function duringLife(token: string): { now: number } {
  return { now: ((decodeJwt(token).iat as number) + 1) * 1000 };
}

describe.each(['ES256', 'RS256'] as const)(
  'a rotation seen by @portcullis/jwt-guard over HTTP (%s)',
  (algorithm) => {
    let server: Server;
    let service: TokenService;
    let verifier: ReturnType<typeof createVerifier>;

    beforeAll(async () => {
      const app = express();
      server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      service = await createTokenService({
        issuer,
        algorithm,
        keyStore: createMemoryKeyStore(),
        keyEncryptionKeys: [KEK],
        accessTokenTtlSeconds: 3,
        jwksMaxAgeSeconds: 1,
        keyRotation: {
          refreshSeconds: 1,
          pendingSeconds: 2,
          retiredSeconds: 4,
          intervalSeconds: 3600,
        },
      });
      app.use(service.router());
      verifier = createVerifier({
        issuer,
        audience: AUDIENCE,
        jwksUri: service.jwksUri,
        algorithms: [algorithm],
        profile: 'rfc9068',
        jwksCacheSeconds: 1,
        jwksCooldownSeconds: 0,
        jwksRefreshSeconds: 1,
      });
      await verifier.preload();
    });

    afterAll(async () => {
      verifier.close();
      service.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('admits tokens from before, during and after rotation, then drops the old key', async () => {
      const before = await mint(service);
      const first = kidOf(before);
      await expect(verifier.verify(before)).resolves.toBeDefined();

      const rotation = await service.rotateKeys();
      const during = await mint(service);
      await expect(verifier.verify(during)).resolves.toBeDefined();
      const after = await waitFor('the new key to sign', async () => {
        const token = await mint(service);
        return kidOf(token) === rotation.kid ? token : '';
      });

      expect(kidOf(during)).toBe(first);
      for (const token of [before, during, after]) {
        await expect(
          verifier.verify(token, duringLife(token)),
        ).resolves.toMatchObject({ claims: { sub: 'user-1' } });
        await expect(
          verifier.verify(token, afterLife(token)),
        ).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
      }

      await waitFor('the retired key to leave the JWKS', async () => {
        await mint(service);
        return !service.jwks().keys.some((k) => k.kid === first);
      });
      const refused = await waitFor('the guard to drop the old key', () =>
        verifier.verify(before, duringLife(before)).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );

      expect(refused).toMatchObject({ status: 401, code: 'invalid_token' });
      await expect(
        verifier.verify(after, duringLife(after)),
      ).resolves.toBeDefined();
    });
  },
);
