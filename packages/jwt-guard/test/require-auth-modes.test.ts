import express from 'express';
import request from 'supertest';

import { authErrorHandler, createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';
import { createMemoryDenyList } from '@portcullis/stores';
import type { DenyList } from '@portcullis/stores';

import { requireAuth } from '../src/require-auth.js';
import type { RequireAuthOptions } from '../src/require-auth.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  tamperSignature,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

let signer: TestSigner;

beforeAll(async () => {
  signer = await createSigner('ES256');
});

function build(extra: Partial<RequireAuthOptions>) {
  const seen: Array<string | undefined> = [];
  const server = express();
  server.get(
    '/r',
    requireAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: { keys: [signer.publicJwk] },
      algorithms: ['ES256'],
      ...extra,
    }),
    (req, res) => {
      seen.push(req.auth?.claims.sub);
      res.json({ ok: true });
    },
  );
  server.use(authErrorHandler());
  return { server, seen };
}

describe('requireAuth', () => {
  describe('in optional mode', () => {
    it('admits a request without credentials as anonymous', async () => {
      const audit = createAuditBus();
      const events: AuditEvent[] = [];
      audit.onAny((event) => events.push(event));
      const { server, seen } = build({ optional: true, audit });

      const res = await request(server).get('/r');

      expect(res.status).toBe(200);
      expect(seen).toEqual([undefined]);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'token.accepted',
          reason: 'JWT_GUARD_ANONYMOUS',
        }),
      ]);
    });

    it('admits a valid token with req.auth set', async () => {
      const { server, seen } = build({ optional: true });

      await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${await signer.sign()}`);

      expect(seen).toEqual(['user-1']);
    });

    it.each<[string, () => Promise<string>, number]>([
      [
        'a forged token',
        async () => `Bearer ${tamperSignature(await signer.sign())}`,
        401,
      ],
      [
        'an expired token',
        async () => `Bearer ${await signer.sign(validClaims({ exp: 1 }))}`,
        401,
      ],
      ['a malformed header', async () => 'Bearer a b', 400],
      ['an empty bearer', async () => 'Bearer', 400],
    ])('still refuses %s', async (_, header, status) => {
      const { server, seen } = build({ optional: true });

      const res = await request(server)
        .get('/r')
        .set('Authorization', await header());

      expect(res.status).toBe(status);
      expect(seen).toEqual([]);
    });

    it('refuses a non-boolean optional at startup', () => {
      expect(() => build({ optional: 'yes' as never })).toThrow(
        'option "optional"',
      );
    });
  });

  describe('with a deny-list store', () => {
    it('refuses a token whose jti is listed and admits others', async () => {
      const store = createMemoryDenyList();
      await store.add('revoked-jti', Math.floor(Date.now() / 1000) + 600);
      const { server, seen } = build({ denyList: { store } });
      const revoked = await signer.sign(validClaims({ jti: 'revoked-jti' }));
      const fine = await signer.sign(validClaims({ jti: 'other-jti' }));

      const a = await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${revoked}`);
      const b = await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${fine}`);

      expect([a.status, b.status]).toEqual([401, 200]);
      expect(a.body.error_description).toBe('the access token is invalid');
      expect(seen).toEqual(['user-1']);
    });

    it('reads sid when configured', async () => {
      const store = createMemoryDenyList();
      await store.add('session-9', Math.floor(Date.now() / 1000) + 600);
      const { server } = build({ denyList: { store, claim: 'sid' } });
      const token = await signer.sign(
        validClaims({ sid: 'session-9', jti: 'x' }),
      );

      const res = await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${token}`);

      expect(res.status).toBe(401);
    });

    it('refuses a token without the deny-list claim', async () => {
      const { server } = build({ denyList: { store: createMemoryDenyList() } });
      const token = await signer.sign(validClaims());

      const res = await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${token}`);

      expect(res.status).toBe(401);
    });

    it.each<[string, DenyList]>([
      [
        'throws',
        {
          add: async () => undefined,
          has: () => {
            throw new Error('down');
          },
        },
      ],
      [
        'rejects',
        {
          add: async () => undefined,
          has: () => Promise.reject(new Error('down')),
        },
      ],
      [
        'answers a non-boolean',
        { add: async () => undefined, has: async () => 'no' as never },
      ],
    ])('fails closed with 503 when the store %s', async (_, store) => {
      const { server, seen } = build({ denyList: { store } });
      const token = await signer.sign(validClaims({ jti: 'j' }));

      const res = await request(server)
        .get('/r')
        .set('Authorization', `Bearer ${token}`);

      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(seen).toEqual([]);
    });

    it.each([
      [{ store: {} }, 'denyList.store'],
      [{ store: createMemoryDenyList(), claim: 'sub' }, 'denyList.claim'],
    ])('refuses %j at startup', (denyList, path) => {
      expect(() => build({ denyList: denyList as never })).toThrow(
        `option "${path}"`,
      );
    });
  });

  describe('with the RFC 9068 profile', () => {
    it('requires typ at+jwt and the profile claims', async () => {
      const { server } = build({ profile: 'rfc9068' });
      const full = validClaims({ client_id: 'c', jti: 'j' });
      const ok = await signer.sign(full);
      const noJti = await signer.sign({ ...full, jti: undefined });
      const jwtTyp = await signer.sign(full, { typ: 'JWT' });

      const results = await Promise.all(
        [ok, noJti, jwtTyp].map(
          async (token) =>
            (
              await request(server)
                .get('/r')
                .set('Authorization', `Bearer ${token}`)
            ).status,
        ),
      );

      expect(results).toEqual([200, 401, 401]);
    });
  });

  describe('with preload', () => {
    it('fetches the JWKS when built', async () => {
      const { startJwksServer } = await import('./helpers/jwks-server.js');
      const jwks = await startJwksServer([signer.publicJwk]);
      try {
        build({ jwks: undefined, jwksUri: jwks.url, preload: true });
        await new Promise((resolve) => setTimeout(resolve, 200));

        expect(jwks.requests()).toBe(1);
      } finally {
        await jwks.close();
      }
    });
  });
});
