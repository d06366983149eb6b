// The guard verifies signatures itself with node:crypto on cached key
// objects. This suite holds it to jose, the reference JOSE implementation:
// on valid tokens and on random mutations of them, the guard never admits
// a token that jose refuses, and admits every token jose admits except
// non-canonical base64url spellings, which the guard alone refuses.

import fc from 'fast-check';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';

import { createVerifier } from '../src/index.js';
import { sharedSignatureWorker } from '../src/signature-worker.js';
import { AUDIENCE, ISSUER, createSigner, validClaims } from './helpers/keys.js';
import type { TestSigner } from './helpers/keys.js';

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const RUNS_PER_ALGORITHM = 150;

let signers: TestSigner[];

beforeAll(async () => {
  signers = await Promise.all(ALGORITHMS.map((alg) => createSigner(alg)));
});

afterAll(() => sharedSignatureWorker().terminate());

function isCanonicalBase64url(segment: string): boolean {
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

async function joseAdmits(token: string, keys: JWK[]): Promise<boolean> {
  try {
    await jwtVerify(token, createLocalJWKSet({ keys }), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ALGORITHMS,
      clockTolerance: 5,
      requiredClaims: ['exp'],
    });
    return true;
  } catch {
    return false;
  }
}

function mutate(token: string, position: number, replacement: string): string {
  const index = position % token.length;
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('the guard against jose', () => {
  const cases = ALGORITHMS.flatMap((alg) =>
    (['event-loop', 'thread-pool', 'worker'] as const).map(
      (thread) => [alg, thread] as const,
    ),
  );

  it.each(cases)(
    'agrees on valid and mutated %s tokens, signatures checked on the %s',
    async (alg, thread) => {
      const signer = signers[ALGORITHMS.indexOf(alg)]!;
      const keys = signers.map((s) => s.publicJwk);
      const verifier = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: { keys },
        algorithms: ALGORITHMS,
        signatureThread: thread,
      });
      const guardAdmits = (token: string) =>
        verifier.verify(token).then(
          () => true,
          () => false,
        );
      const valid = await signer.sign(validClaims());
      expect([await guardAdmits(valid), await joseAdmits(valid, keys)]).toEqual(
        [true, true],
      );

      const alphabet =
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          fc.constantFrom(...alphabet.split('')),
          async (position, replacement) => {
            const token = mutate(valid, position, replacement);
            const guard = await guardAdmits(token);
            const jose = await joseAdmits(token, keys);
            const canonical = token.split('.').every(isCanonicalBase64url);

            if (guard) expect(jose).toBe(true);
            if (jose && canonical) expect(guard).toBe(true);
          },
        ),
        { numRuns: RUNS_PER_ALGORITHM },
      );
      verifier.close();
    },
  );
});
