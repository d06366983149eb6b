import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';

import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';

import { createAccessTokenMinter } from '../src/access-token.js';
import { createStaticKeyRing } from '../src/key-ring.js';
import { normalizeOptions } from '../src/options.js';
import { loadSigningKey } from '../src/signing-key.js';
import type { SigningKey } from '../src/signing-key.js';
import type { SigningAlgorithm } from '../src/signing-key-shape.js';
import { AUDIENCE, ISSUER } from './helpers/keys.js';

const INPUT = { subject: 'user-1', audience: AUDIENCE, clientId: 'web' };
const keys = new Map<SigningAlgorithm, SigningKey>();

beforeAll(async () => {
  keys.set('ES256', await loadSigningKey(undefined, 'ES256'));
  keys.set('EdDSA', await loadSigningKey(undefined, 'EdDSA'));
  keys.set('RS256', await loadSigningKey(undefined, 'RS256'));
});

async function minter(algorithm: SigningAlgorithm = 'ES256', options = {}) {
  const config = normalizeOptions({ issuer: ISSUER, algorithm, ...options });
  const key = keys.get(algorithm) as SigningKey;
  const ring = await createStaticKeyRing(key.signer, {
    probe: false,
    rotateError: 'static',
  });
  return { mint: createAccessTokenMinter(config, ring), key };
}

describe('createAccessTokenMinter', () => {
  describe.each(['ES256', 'EdDSA', 'RS256'] as const)('with %s', (alg) => {
    it('signs a token that verifies against the published key', async () => {
      const { mint, key } = await minter(alg);
      const jwks = createLocalJWKSet({ keys: [key.publicJwk] });

      const { accessToken } = await mint(INPUT);
      const { payload } = await jwtVerify(accessToken, jwks, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [alg],
        typ: 'at+jwt',
      });

      expect(payload.sub).toBe('user-1');
    });

    it('writes the RFC 9068 header', async () => {
      const { mint, key } = await minter(alg);

      const { accessToken } = await mint(INPUT);

      expect(decodeProtectedHeader(accessToken)).toEqual({
        alg,
        kid: key.publicJwk.kid,
        typ: 'at+jwt',
      });
    });
  });

  it('writes the RFC 9068 claims and returns a token response', async () => {
    const { mint } = await minter();

    const issued = await mint({
      ...INPUT,
      scope: ['read:items', 'write:items'],
      sessionId: 'session-1',
    });
    const claims = decodeJwt(issued.accessToken);

    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'user-1',
      aud: AUDIENCE,
      exp: expect.any(Number),
      iat: expect.any(Number),
      jti: issued.jti,
      client_id: 'web',
      scope: 'read:items write:items',
      sid: 'session-1',
    });
    expect(issued).toMatchObject({
      tokenType: 'Bearer',
      expiresAt: claims.exp,
    });
    expect(issued.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('omits scope and sid when they are not given', async () => {
    const { mint } = await minter();

    const claims = decodeJwt((await mint({ ...INPUT, scope: [] })).accessToken);

    expect(claims).not.toHaveProperty('scope');
    expect(claims).not.toHaveProperty('sid');
  });

  it.each([
    ['the service default', {}, {}, 300],
    ['the configured lifetime', { accessTokenTtlSeconds: 120 }, {}, 120],
    [
      'a per-token lifetime',
      { accessTokenTtlSeconds: 120 },
      { ttlSeconds: 30 },
      30,
    ],
  ])('sets exp to iat plus %s', async (_, options, input, ttl) => {
    const { mint } = await minter('ES256', options);
    const before = Math.floor(Date.now() / 1000);

    const issued = await mint({ ...INPUT, ...input });
    const claims = decodeJwt(issued.accessToken);

    expect(claims.exp).toBe((claims.iat as number) + ttl);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('gives every token its own jti', async () => {
    const { mint } = await minter();

    const jtis = await Promise.all(
      Array.from({ length: 20 }, async () => (await mint(INPUT)).jti),
    );

    expect(new Set(jtis).size).toBe(20);
  });

  it('emits token.issued on the audit bus', async () => {
    const audit = createAuditBus({ now: () => 1000 });
    const events: AuditEvent[] = [];
    audit.onAny((event) => events.push(event));
    const { mint } = await minter('ES256', { audit });

    const { jti } = await mint(INPUT);

    expect(events).toEqual([
      {
        type: 'token.issued',
        at: 1000,
        subject: 'user-1',
        audience: AUDIENCE,
        jti,
      },
    ]);
  });

  it('rejects malformed input before signing', async () => {
    const audit = createAuditBus();
    const listener = jest.fn();
    audit.onAny(listener);
    const { mint } = await minter('ES256', { audit });

    await expect(mint({ ...INPUT, subject: '' })).rejects.toThrow(TypeError);
    expect(listener).not.toHaveBeenCalled();
  });
});
