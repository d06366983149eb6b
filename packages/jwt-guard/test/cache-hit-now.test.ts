/**
 * The cache hit answered in the same turn (`verifyCached`, and the
 * middleware's use of it): what it re-checks, when it declines to answer,
 * and the bounds and eviction order of the cache under it.
 */

import request from 'supertest';

import { buildGuardedApp } from './helpers/app.js';
import { startJwksServer } from './helpers/jwks-server.js';
import type { JwksServer } from './helpers/jwks-server.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import type { VerifierOptions } from '../src/options.js';
import { TokenCache } from '../src/token-cache.js';
import type { CachedToken } from '../src/token-cache.js';
import { createVerifier } from '../src/verifier.js';

let signer: TestSigner;
let successor: TestSigner;

beforeAll(async () => {
  signer = await createSigner('ES256');
  successor = await createSigner('ES256');
});

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [signer.publicJwk] },
    algorithms: ['ES256'],
    ...overrides,
  };
}

function reasonOf(run: () => unknown): string {
  try {
    run();
    return 'ACCEPTED';
  } catch (error) {
    return String((error as { reason?: string }).reason);
  }
}

describe('verifyCached', () => {
  it('does not answer for a token it has not verified', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(validClaims());

    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(verifier.cacheStats()).toMatchObject({ hits: 0, misses: 0 });
  });

  it('answers with the context verify gave, the same frozen object', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(
      validClaims({ cnf: { 'x5t#S256': 'abc' } }),
    );
    // A certificate-bound token needs its certificate: refused without it
    // on the first call and on the hit, never remembered as admitted.
    await expect(verifier.verify(token)).rejects.toMatchObject({
      status: 401,
    });
    expect(reasonOf(() => verifier.verifyCached(token))).not.toBe('ACCEPTED');

    const plain = await signer.sign(validClaims({ aud: [AUDIENCE, 'other'] }));
    const verified = await verifier.verify(plain);
    const hit = verifier.verifyCached(plain);

    expect(hit).toBe(verified);
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen(hit?.claims)).toBe(true);
    expect(Object.isFrozen(hit?.claims.aud)).toBe(true);
    expect(Object.isFrozen(hit?.header)).toBe(true);
    expect(() => (hit?.claims.aud as string[]).push('x')).toThrow(TypeError);
    expect(verifier.cacheStats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('refuses a cached token, in the same turn, once it has expired', async () => {
    const verifier = createVerifier(options({ clockToleranceSeconds: 0 }));
    const exp = nowSeconds() + 60;
    const token = await signer.sign(validClaims({ exp }));
    await verifier.verify(token);

    expect(
      reasonOf(() => verifier.verifyCached(token, { now: (exp - 1) * 1000 })),
    ).toBe('ACCEPTED');
    expect(
      reasonOf(() => verifier.verifyCached(token, { now: exp * 1000 })),
    ).toBe('JWT_GUARD_EXPIRED');
    expect(verifier.cacheStats().entries).toBe(0);
  });

  it('refuses a cached DPoP-bound token presented as a bearer token', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(validClaims({ cnf: { jkt: 'thumb' } }));
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'JWT_GUARD_DPOP_BINDING',
    });

    expect(reasonOf(() => verifier.verifyCached(token))).toBe(
      'JWT_GUARD_DPOP_BINDING',
    );
  });

  it('leaves a token to verify when a revocation check must run', async () => {
    const revoked = new Set<string>();
    const verifier = createVerifier(
      options({ isRevoked: (claims) => revoked.has(String(claims.jti)) }),
    );
    const token = await signer.sign(validClaims({ jti: 'j-1' }));
    await verifier.verify(token);
    revoked.add('j-1');

    expect(verifier.verifyCached(token)).toBeUndefined();
    await expect(verifier.verify(token)).rejects.toMatchObject({
      reason: 'JWT_GUARD_REVOKED',
    });
  });

  describe('with a remote JWKS', () => {
    let server: JwksServer;

    beforeEach(async () => {
      server = await startJwksServer([signer.publicJwk]);
    });

    afterEach(async () => {
      await server.close();
    });

    it('drops a cached token as soon as a refresh no longer has its key', async () => {
      const verifier = createVerifier(
        options({ jwks: undefined, jwksUri: server.url }),
      );
      const token = await signer.sign(validClaims());
      await verifier.verify(token);
      expect(verifier.verifyCached(token)).toBeDefined();

      server.setKeys([successor.publicJwk]);
      await verifier.preload();

      expect(verifier.verifyCached(token)).toBeUndefined();
      expect(verifier.cacheStats().entries).toBe(0);
      await expect(verifier.verify(token)).rejects.toMatchObject({
        status: 401,
      });
      verifier.close();
    });

    it('waits for keys older than the refresh age instead of answering', async () => {
      let nowMs = Date.now();
      const verifier = createVerifier(
        options({
          jwks: undefined,
          jwksUri: server.url,
          jwksCacheSeconds: 60,
          clock: () => nowMs,
        }),
      );
      const token = await signer.sign(validClaims());
      await verifier.verify(token);
      const fetches = server.requests();
      nowMs += 61_000;

      expect(verifier.verifyCached(token)).toBeUndefined();
      await expect(verifier.verify(token)).resolves.toMatchObject({
        issuer: ISSUER,
      });
      // verify served the stale keys and refreshed them behind.
      for (let i = 0; i < 100 && server.requests() === fetches; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(server.requests()).toBeGreaterThan(fetches);
      verifier.close();
    });
  });
});

describe('requireAuth with a warm cache', () => {
  it('refuses a token that expired after it was cached', async () => {
    let nowMs = Date.now();
    const exp = Math.floor(nowMs / 1000) + 30;
    const { app } = buildGuardedApp({
      ...options({ clockToleranceSeconds: 0 }),
      clock: () => nowMs,
    });
    const token = await signer.sign(validClaims({ exp }));
    const auth = `Bearer ${token}`;

    await request(app).get('/protected').set('Authorization', auth).expect(200);
    await request(app).get('/protected').set('Authorization', auth).expect(200);
    nowMs = exp * 1000;
    const res = await request(app)
      .get('/protected')
      .set('Authorization', auth)
      .expect(401);

    expect(res.headers['www-authenticate']).toMatch(/invalid_token/);
    expect(res.text).not.toContain(token);
  });

  it('still refuses a malformed header for a token it never saw', async () => {
    const { app } = buildGuardedApp(options());

    await request(app)
      .get('/protected')
      .set('Authorization', 'Bearer abc,def')
      .expect(400);
  });
});

describe('TokenCache eviction', () => {
  const entry = {
    auth: undefined as never,
    alg: 'ES256',
    kid: undefined,
    key: undefined as never,
    keySet: undefined,
  } satisfies CachedToken;

  it('keeps a token in use while a flood of tokens seen once passes', () => {
    const cache = new TokenCache(4, 1 << 20);
    cache.set('hot', entry);
    for (let i = 0; i < 100; i += 1) {
      expect(cache.get('hot')).toBe(entry);
      cache.set(`flood-${i}`, entry);
      expect(cache.stats().entries).toBeLessThanOrEqual(4);
    }

    expect(cache.get('hot')).toBe(entry);
  });

  it('tells apart tokens that end alike, and keeps one of them', () => {
    const cache = new TokenCache(10, 1 << 20);
    const tail = 's'.repeat(40);
    const other = { ...entry, alg: 'RS256' };
    cache.set(`a.${tail}`, entry);

    expect(cache.peek(`b.${tail}`)).toBeUndefined();
    cache.delete(`b.${tail}`);
    expect(cache.peek(`a.${tail}`)).toBe(entry);

    cache.set(`b.${tail}`, other);
    expect(cache.peek(`b.${tail}`)).toBe(other);
    expect(cache.peek(`a.${tail}`)).toBeUndefined();
    expect(cache.stats().entries).toBe(1);
  });

  it('never exceeds either bound, whatever the order of operations', () => {
    const maxEntries = 5;
    const maxBytes = 6 * 40 * 3;
    const cache = new TokenCache(maxEntries, maxBytes);
    const live = new Set<string>();
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5000; i += 1) {
      const token = `t${next() % 12}`.padEnd(1 + (next() % 40), 'x');
      const op = next() % 3;
      if (op === 0) cache.set(token, entry);
      else if (op === 1) cache.get(token);
      else cache.delete(token);
      const { entries, bytes } = cache.stats();
      expect(entries).toBeLessThanOrEqual(maxEntries);
      expect(bytes).toBeLessThanOrEqual(maxBytes);
      if (op === 0) live.add(token);
    }

    const held = [...live].filter((t) => cache.peek(t) !== undefined);
    expect(held.length).toBe(cache.stats().entries);
  });
});
