import { createVerifier } from '../src/verifier.js';
import type { VerifierOptions } from '../src/options.js';
import { TokenCache } from '../src/token-cache.js';
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

async function reasonFor(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ACCEPTED';
  } catch (error) {
    return String((error as { reason?: string }).reason);
  }
}

describe('the verified-token cache', () => {
  it('serves a second verification of the same token from the cache', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(validClaims());
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);

    expect(second.claims).toEqual(first.claims);
    expect(verifier.cacheStats()).toMatchObject({
      entries: 1,
      hits: 1,
      misses: 1,
    });
  });

  it('refuses a cached token as soon as it expires', async () => {
    const verifier = createVerifier(options({ clockToleranceSeconds: 0 }));
    const exp = nowSeconds() + 60;
    const token = await signer.sign(validClaims({ exp }));
    await verifier.verify(token);

    await expect(
      reasonFor(verifier.verify(token, { now: (exp - 1) * 1000 })),
    ).resolves.toBe('ACCEPTED');
    await expect(
      reasonFor(verifier.verify(token, { now: exp * 1000 })),
    ).resolves.toBe('JWT_GUARD_EXPIRED');
    expect(verifier.cacheStats().entries).toBe(0);
  });

  it('refuses a cached token once it is revoked', async () => {
    const revoked = new Set<string>();
    const verifier = createVerifier(
      options({ isRevoked: (claims) => revoked.has(String(claims.jti)) }),
    );
    const token = await signer.sign(validClaims({ jti: 'jti-1' }));
    await verifier.verify(token);
    revoked.add('jti-1');

    await expect(reasonFor(verifier.verify(token))).resolves.toBe(
      'JWT_GUARD_REVOKED',
    );
  });

  describe('with a remote JWKS', () => {
    let server: JwksServer;

    beforeEach(async () => {
      server = await startJwksServer([signer.publicJwk]);
    });

    afterEach(async () => {
      await server.close();
    });

    it('refuses a cached token once its key leaves the JWKS', async () => {
      const verifier = createVerifier(
        options({ jwks: undefined, jwksUri: server.url }),
      );
      const token = await signer.sign(validClaims());
      await verifier.verify(token);
      server.setKeys([successor.publicJwk]);
      await verifier.preload();

      await expect(reasonFor(verifier.verify(token))).resolves.not.toBe(
        'ACCEPTED',
      );
      expect(verifier.cacheStats().entries).toBe(0);
      verifier.close();
    });
  });

  it('fully verifies, and refuses, a token one byte away from a cached one', async () => {
    const verifier = createVerifier(options());
    const token = await signer.sign(validClaims());
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const bytes = Buffer.from(signature!, 'base64url');
    bytes[5] = bytes[5]! ^ 1;
    const forged = [header, payload, bytes.toString('base64url')].join('.');

    await expect(reasonFor(verifier.verify(forged))).resolves.toBe(
      'JWT_GUARD_BAD_SIGNATURE',
    );
    expect(verifier.cacheStats()).toMatchObject({ entries: 1, hits: 0 });
  });

  it('never holds more than its bound of tokens', async () => {
    const verifier = createVerifier(options({ tokenCache: { maxEntries: 3 } }));
    for (let i = 0; i < 6; i += 1) {
      await verifier.verify(await signer.sign(validClaims({ jti: `t${i}` })));
    }

    expect(verifier.cacheStats().entries).toBe(3);
  });

  it('keeps nothing when turned off', async () => {
    const verifier = createVerifier(options({ tokenCache: false }));
    const token = await signer.sign(validClaims());
    await verifier.verify(token);
    await verifier.verify(token);

    expect(verifier.cacheStats()).toEqual({
      entries: 0,
      bytes: 0,
      hits: 0,
      misses: 0,
    });
  });

  it.each<[string, unknown, string]>([
    ['a string', 'on', '"tokenCache"'],
    ['a zero entry bound', { maxEntries: 0 }, '"tokenCache.maxEntries"'],
    ['an unknown key', { size: 1 }, '"tokenCache.size"'],
  ])('rejects %s as tokenCache', (_name, tokenCache, path) => {
    expect(() => createVerifier(options({ tokenCache } as never))).toThrow(
      path,
    );
  });
});

describe('TokenCache', () => {
  it('evicts the least recently used token first, within its byte bound', () => {
    const entry = {
      auth: undefined as never,
      alg: 'ES256',
      kid: undefined,
      key: undefined as never,
      keySet: undefined,
    };
    const cache = new TokenCache(10, 2 * 60);
    cache.set('a'.repeat(10), entry);
    cache.set('b'.repeat(10), entry);
    cache.get('a'.repeat(10));
    cache.set('c'.repeat(10), entry);

    expect(cache.get('b'.repeat(10))).toBeUndefined();
    expect(cache.get('a'.repeat(10))).toBe(entry);
    expect(cache.stats().bytes).toBe(2 * 60);
  });
});
