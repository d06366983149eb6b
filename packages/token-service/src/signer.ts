/**
 * The signer port: what produces the signature of a JWS (RFC 7515 section
 * 5.1), so that the private key may stay in a KMS or HSM. The local
 * signer holds a node:crypto KeyObject.
 */

import { createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';
import { KEY_TYPES, SIGNING_ALGORITHMS } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

const signAsync = promisify(sign);
const PROBE = new TextEncoder().encode('portcullis.signer-check');

/**
 * Signs the JWS signing input of the tokens of one key.
 *
 * `sign` receives the ASCII bytes of `BASE64URL(header).BASE64URL(payload)`
 * and resolves to the raw JWS signature bytes (RFC 7518 section 3):
 * - RS256: the RSASSA-PKCS1-v1_5 SHA-256 signature, as long as the modulus.
 * - ES256: 64 bytes, `r || s`, each 32 bytes big-endian (section 3.4),
 *   which node:crypto produces with `dsaEncoding: 'ieee-p1363'`. A KMS that
 *   returns an ASN.1 DER `ECDSA-Sig-Value` needs its two INTEGERs taken
 *   out, stripped of a leading zero byte and left-padded to 32 bytes each.
 * - EdDSA: the 64-byte Ed25519 signature (RFC 8037 section 3.1).
 */
export interface Signer {
  /** The `kid` header of every token; the `kid` of `publicJwk`. */
  readonly kid: string;
  /** The `alg` header of every token. */
  readonly algorithm: SigningAlgorithm;
  /** The public key published in the JWKS: public members only. */
  readonly publicJwk: JWK;
  /** Resolves to the signature of `signingInput`. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** The digest and options node:crypto needs per algorithm. */
function cryptoParams(algorithm: SigningAlgorithm) {
  if (algorithm === 'EdDSA') return { digest: null, dsaEncoding: undefined };
  if (algorithm === 'ES256') {
    return { digest: 'sha256', dsaEncoding: 'ieee-p1363' as const };
  }
  return { digest: 'sha256', dsaEncoding: undefined };
}

/**
 * Creates a signer over a private KeyObject held in this process.
 */
export function createLocalSigner(
  privateKey: KeyObject,
  algorithm: SigningAlgorithm,
  publicJwk: JWK,
): Signer {
  const { digest, dsaEncoding } = cryptoParams(algorithm);
  const key =
    dsaEncoding === undefined ? privateKey : { key: privateKey, dsaEncoding };
  return Object.freeze({
    kid: publicJwk.kid as string,
    algorithm,
    publicJwk,
    sign: (signingInput: Uint8Array) => signAsync(digest, signingInput, key),
  });
}

function fail(expected: string): TypeError {
  return configError(PACKAGE_NAME, 'signer', expected);
}

/**
 * Returns `value` when it has the shape of a {@link Signer} whose public
 * JWK is a public key of its algorithm, with a matching `kid`.
 *
 * @throws TypeError naming `signer` otherwise.
 */
export function checkSigner(value: unknown): Signer | undefined {
  if (value === undefined) return undefined;
  const signer = value as Partial<Signer> | null;
  if (typeof signer?.sign !== 'function') {
    throw fail('must be an object with a sign(signingInput) method');
  }

  if (!SIGNING_ALGORITHMS.includes(signer.algorithm as SigningAlgorithm)) {
    throw fail(`"algorithm" must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }

  const jwk = signer.publicJwk as Record<string, unknown> | undefined;
  const type = KEY_TYPES[signer.algorithm as SigningAlgorithm];
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== type.kty) {
    throw fail(`"publicJwk" must be a ${type.kty} public JWK`);
  }

  if (type.privateMembers.some((name) => name in jwk)) {
    throw fail('"publicJwk" must not contain private members');
  }

  if (
    typeof signer.kid !== 'string' ||
    signer.kid === '' ||
    jwk.kid !== signer.kid
  ) {
    throw fail('"kid" must be a non-empty string equal to "publicJwk.kid"');
  }

  return signer as Signer;
}

/**
 * Signs a probe with `signer` and verifies it with its public JWK, so a
 * signer whose key does not match what it publishes fails at start.
 *
 * @throws TypeError naming `signer` (as a rejection) when the signature
 * does not verify or the signer fails.
 */
export async function probeSigner(signer: Signer): Promise<void> {
  const { digest, dsaEncoding } = cryptoParams(signer.algorithm);
  let verified = false;
  try {
    const publicKey = createPublicKey({
      key: signer.publicJwk as never,
      format: 'jwk',
    });
    const signature = await signer.sign(PROBE);
    const key =
      dsaEncoding === undefined ? publicKey : { key: publicKey, dsaEncoding };
    verified = verify(digest, PROBE, key, signature);
  } catch (cause) {
    throw Object.assign(fail('failed to sign a start-up probe'), { cause });
  }

  if (!verified) {
    throw fail('produced a signature that its "publicJwk" does not verify');
  }
}
