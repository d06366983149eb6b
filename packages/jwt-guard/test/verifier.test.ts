import { createPublicKey, randomBytes } from 'node:crypto';

import { SignJWT, exportJWK } from 'jose';

import { createAuditBus } from '@portcullis/core';
import type { AuditEvent } from '@portcullis/core';

import { createVerifier } from '../src/verifier.js';
import type { VerifierOptions } from '../src/options.js';
import { startCountingServer } from './helpers/counting-server.js';
import type { CountingServer } from './helpers/counting-server.js';
import {
  AUDIENCE,
  ISSUER,
  createSigner,
  nowSeconds,
  validClaims,
} from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';
import { signRaw } from './helpers/raw-token.js';

const OTHER_ISSUER = 'https://other.example.com';

let es256: TestSigner;
let rs256: TestSigner;
let eddsa: TestSigner;
let other: TestSigner;
let attacker: TestSigner;
let counting: CountingServer;

beforeAll(async () => {
  es256 = await createSigner('ES256');
  rs256 = await createSigner('RS256');
  eddsa = await createSigner('EdDSA');
  other = await createSigner('ES256');
  attacker = await createSigner('ES256');
  counting = await startCountingServer(
    JSON.stringify({ keys: [attacker.publicJwk] }),
  );
});

afterAll(async () => {
  await counting.close();
});

function options(overrides: Partial<VerifierOptions> = {}): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks: { keys: [es256.publicJwk, rs256.publicJwk, eddsa.publicJwk] },
    algorithms: ['ES256', 'RS256', 'EdDSA'],
    ...overrides,
  };
}

async function reasonFor(
  promise: Promise<unknown>,
): Promise<string | undefined> {
  try {
    await promise;
    return 'ACCEPTED';
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
}

describe('createVerifier', () => {
  describe('without Express', () => {
    it('verifies a token and returns its frozen context', async () => {
      const verifier = createVerifier(options());
      const token = await es256.sign();

      const auth = await verifier.verify(token);

      expect(auth).toMatchObject({
        token,
        issuer: ISSUER,
        claims: { sub: 'user-1' },
        scopes: ['read:items', 'write:items'],
      });
      expect(Object.isFrozen(auth)).toBe(true);
      expect(Object.isFrozen(auth.claims)).toBe(true);
    });

    it.each(['ES256', 'RS256', 'EdDSA'])('verifies %s', async (alg) => {
      const signer = { ES256: es256, RS256: rs256, EdDSA: eddsa }[alg];
      const verifier = createVerifier(options());

      await expect(
        verifier.verify(await signer!.sign()),
      ).resolves.toBeDefined();
    });

    it('emits token.accepted and token.refused with reason codes', async () => {
      const audit = createAuditBus();
      const events: AuditEvent[] = [];
      audit.onAny((event) => events.push(event));
      const verifier = createVerifier(options({ audit }));

      await verifier.verify(await es256.sign());
      await verifier.verify('x.y.z').catch(() => undefined);

      expect(
        events.map((e) => [e.type, (e as { reason?: string }).reason]),
      ).toEqual([
        ['token.accepted', 'JWT_GUARD_OK'],
        ['token.refused', 'JWT_GUARD_MALFORMED_TOKEN'],
        ['token.rejected', undefined],
      ]);
    });

    it('verifies at the time given in the context', async () => {
      const verifier = createVerifier(options());
      const token = await es256.sign();
      const later = (nowSeconds() + 3600) * 1000;

      await expect(
        reasonFor(verifier.verify(token, { now: later })),
      ).resolves.toBe('JWT_GUARD_EXPIRED');
    });
  });

  describe('algorithm and key-type binding', () => {
    it('refuses an RSA key for an ES256 token that names its kid', async () => {
      const verifier = createVerifier(options());
      const token = await es256.sign(validClaims(), { kid: rs256.kid });

      await expect(reasonFor(verifier.verify(token))).resolves.toBe(
        'JWT_GUARD_KEY_ALG_MISMATCH',
      );
    });

    it('refuses an algorithm outside the issuer allowlist', async () => {
      const verifier = createVerifier(options({ algorithms: ['ES256'] }));

      await expect(
        reasonFor(verifier.verify(await rs256.sign())),
      ).resolves.toBe('JWT_GUARD_ALG_NOT_ALLOWED');
    });

    it('refuses a key whose own alg differs from the token alg', async () => {
      const jwk = { ...rs256.publicJwk, alg: 'PS256' };
      const verifier = createVerifier(
        options({ jwks: { keys: [jwk] }, algorithms: ['RS256', 'PS256'] }),
      );

      await expect(
        reasonFor(verifier.verify(await rs256.sign())),
      ).resolves.toBe('JWT_GUARD_KEY_ALG_MISMATCH');
    });

    it('skips keys marked for encryption', async () => {
      const jwk = { ...es256.publicJwk, use: 'enc' };
      const verifier = createVerifier(options({ jwks: { keys: [jwk] } }));

      await expect(
        reasonFor(verifier.verify(await es256.sign())),
      ).resolves.toBe('JWT_GUARD_KID_UNKNOWN');
    });
  });

  describe('HMAC', () => {
    const secret = randomBytes(32);

    function hmacOptions(): VerifierOptions {
      return {
        issuer: ISSUER,
        audience: AUDIENCE,
        secret,
        algorithms: ['HS256'],
      };
    }

    it('verifies HS256 with an explicitly configured secret', async () => {
      const token = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secret);

      await expect(
        createVerifier(hmacOptions()).verify(token),
      ).resolves.toMatchObject({
        issuer: ISSUER,
      });
    });

    it('refuses HS256 signed with another secret', async () => {
      const token = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: 'HS256' })
        .sign(randomBytes(32));

      await expect(
        reasonFor(createVerifier(hmacOptions()).verify(token)),
      ).resolves.toBe('JWT_GUARD_BAD_SIGNATURE');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a 31-byte secret', { secret: randomBytes(31) }, 'secret'],
      ['a short string secret', { secret: 'short' }, 'secret'],
      ['a number secret', { secret: 42 }, 'secret'],
      ['ES256 with a secret', { algorithms: ['ES256'] }, 'algorithms[0]'],
      ['a secret next to a JWKS', { jwks: { keys: [] } }, 'jwksUri'],
    ])('refuses %s at startup', (_, overrides, path) => {
      expect(() =>
        createVerifier({ ...hmacOptions(), ...overrides } as never),
      ).toThrow(`option "${path}"`);
    });

    it('refuses HS256 in the allowlist of a JWKS issuer', () => {
      expect(() => createVerifier(options({ algorithms: ['HS256'] }))).toThrow(
        'option "algorithms[0]"',
      );
    });
  });

  describe('with several issuers', () => {
    function twoIssuers(): VerifierOptions {
      return {
        audience: AUDIENCE,
        algorithms: ['ES256'],
        issuers: [
          { issuer: ISSUER, jwks: { keys: [es256.publicJwk] } },
          {
            issuer: OTHER_ISSUER,
            jwks: { keys: [other.publicJwk] },
            audience: 'https://other-api.example.com',
          },
        ],
      };
    }

    it('accepts each issuer with its own keys and audience', async () => {
      const verifier = createVerifier(twoIssuers());
      const second = await other.sign(
        validClaims({
          iss: OTHER_ISSUER,
          aud: 'https://other-api.example.com',
        }),
      );

      await expect(verifier.verify(await es256.sign())).resolves.toMatchObject({
        issuer: ISSUER,
      });
      await expect(verifier.verify(second)).resolves.toMatchObject({
        issuer: OTHER_ISSUER,
      });
    });

    it('never verifies a token with a key of another issuer', async () => {
      const verifier = createVerifier(twoIssuers());
      const forged = await other.sign(validClaims(), { kid: other.kid });
      const forgedNoKid = await signRaw(
        { alg: 'ES256' },
        validClaims(),
        other.privateKey,
      );

      await expect(reasonFor(verifier.verify(forged))).resolves.toBe(
        'JWT_GUARD_KID_UNKNOWN',
      );
      await expect(reasonFor(verifier.verify(forgedNoKid))).resolves.toBe(
        'JWT_GUARD_BAD_SIGNATURE',
      );
    });

    it('refuses an issuer that is not listed', async () => {
      const verifier = createVerifier(twoIssuers());
      const token = await es256.sign(
        validClaims({ iss: 'https://evil.example.com' }),
      );

      await expect(reasonFor(verifier.verify(token))).resolves.toBe(
        'JWT_GUARD_ISSUER_UNKNOWN',
      );
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an empty list', { issuers: [] }, 'issuers'],
      [
        'an issuer twice',
        {
          issuers: [
            { issuer: ISSUER, jwks: { keys: [] } },
            { issuer: ISSUER, jwks: { keys: [] } },
          ],
        },
        'issuers',
      ],
      ['issuers next to issuer', { issuer: ISSUER }, 'issuers'],
      [
        'an unknown key in an entry',
        { issuers: [{ issuer: ISSUER, jwks: { keys: [] }, kid: 1 }] },
        'kid',
      ],
      [
        'an entry without keys',
        { issuers: [{ issuer: ISSUER }] },
        'issuers[0].jwksUri',
      ],
      [
        'two key sources',
        { issuers: [{ issuer: ISSUER, jwks: { keys: [] }, discovery: true }] },
        'issuers[0].jwksUri',
      ],
      [
        'a bad JWKS',
        { issuers: [{ issuer: ISSUER, jwks: 'x' }] },
        'issuers[0].jwks',
      ],
    ])('refuses %s at startup', (_, overrides, path) => {
      expect(() =>
        createVerifier({ ...twoIssuers(), ...overrides } as never),
      ).toThrow(`option "${path}"`);
    });
  });

  describe('when the header names or carries key material', () => {
    it.each<[string, (url: string) => Promise<Record<string, unknown>>]>([
      ['jku', async (url) => ({ jku: `${url}/jwks.json` })],
      ['x5u', async (url) => ({ x5u: `${url}/cert.pem` })],
      ['jwk', async () => ({ jwk: await exportJWK(attacker.publicKey) })],
      [
        'x5c',
        async () => ({
          x5c: [
            createPublicKey({ key: attacker.publicJwk as never, format: 'jwk' })
              .export({ type: 'spki', format: 'der' })
              .toString('base64'),
          ],
        }),
      ],
      [
        'jku and jwk with the kid of a trusted key',
        async (url) => ({
          jku: `${url}/jwks.json`,
          jwk: await exportJWK(attacker.publicKey),
          kid: es256.kid,
        }),
      ],
    ])(
      'refuses a token signed by the key its %s names, with zero fetches',
      async (_, extra) => {
        const before = counting.requests();
        const verifier = createVerifier(options());
        const header = {
          alg: 'ES256',
          kid: attacker.kid,
          ...(await extra(counting.url)),
        };
        const token = await signRaw(header, validClaims(), attacker.privateKey);

        const reason = await reasonFor(verifier.verify(token));

        expect(['JWT_GUARD_KID_UNKNOWN', 'JWT_GUARD_BAD_SIGNATURE']).toContain(
          reason,
        );
        expect(counting.requests()).toBe(before);
      },
    );

    it('refuses a token with any crit member', async () => {
      const verifier = createVerifier(options());
      const token = await signRaw(
        { alg: 'ES256', kid: es256.kid, crit: ['b64'], b64: true },
        validClaims(),
        es256.privateKey,
      );

      await expect(reasonFor(verifier.verify(token))).resolves.toBe(
        'JWT_GUARD_CRIT_UNSUPPORTED',
      );
    });
  });

  it('names the reason on the wire only with debugReasons', async () => {
    const quiet = createVerifier(options());
    const loud = createVerifier(options({ debugReasons: true }));

    const a = await quiet.verify('a.b.c').catch((e: Error) => e);
    const b = await loud.verify('a.b.c').catch((e: Error) => e);

    expect((a as unknown as { description: string }).description).toBe(
      'the access token is invalid',
    );
    expect((b as unknown as { description: string }).description).toContain(
      'JWT_GUARD_',
    );
  });
});
