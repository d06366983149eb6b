/**
 * The JWS algorithms the guard knows (RFC 7518 section 3.1, RFC 8037
 * section 3.1) and the key type each one is bound to. `none` is not in the
 * table, so it can never verify.
 */

import type { KeyObject } from 'node:crypto';

/** How an algorithm signs and which key it needs. */
export interface AlgorithmSpec {
  readonly family: 'RSA' | 'RSA-PSS' | 'EC' | 'OKP' | 'HMAC';
  /** node:crypto digest name; undefined for EdDSA. */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | undefined;
  /** Named curve of an EC key (node:crypto spelling). */
  readonly curve?: string;
  /** Signature length in bytes for ECDSA (RFC 7518 section 3.4). */
  readonly signatureBytes?: number;
}

// RFC 7518 section 3.3: RSA keys of at least 2048 bits.
const MIN_RSA_MODULUS_BITS = 2048;

/** The algorithm table. */
export const ALGORITHMS: Readonly<Record<string, AlgorithmSpec>> =
  Object.freeze({
    RS256: { family: 'RSA', hash: 'sha256' },
    RS384: { family: 'RSA', hash: 'sha384' },
    RS512: { family: 'RSA', hash: 'sha512' },
    PS256: { family: 'RSA-PSS', hash: 'sha256' },
    PS384: { family: 'RSA-PSS', hash: 'sha384' },
    PS512: { family: 'RSA-PSS', hash: 'sha512' },
    ES256: {
      family: 'EC',
      hash: 'sha256',
      curve: 'prime256v1',
      signatureBytes: 64,
    },
    ES384: {
      family: 'EC',
      hash: 'sha384',
      curve: 'secp384r1',
      signatureBytes: 96,
    },
    ES512: {
      family: 'EC',
      hash: 'sha512',
      curve: 'secp521r1',
      signatureBytes: 132,
    },
    EdDSA: { family: 'OKP', hash: undefined },
    HS256: { family: 'HMAC', hash: 'sha256' },
    HS384: { family: 'HMAC', hash: 'sha384' },
    HS512: { family: 'HMAC', hash: 'sha512' },
  } satisfies Record<string, AlgorithmSpec>);

/** Every asymmetric algorithm that `algorithms` may list. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze(
  Object.keys(ALGORITHMS).filter((alg) => ALGORITHMS[alg]?.family !== 'HMAC'),
);

/** The HMAC algorithms, usable only with a configured `secret`. */
export const HMAC_ALGORITHMS: readonly string[] = Object.freeze([
  'HS256',
  'HS384',
  'HS512',
]);

/** Returns the spec of `alg`; undefined for `none` and anything unknown. */
export function algorithmSpec(alg: unknown): AlgorithmSpec | undefined {
  if (typeof alg !== 'string' || !Object.hasOwn(ALGORITHMS, alg)) {
    return undefined;
  }

  return ALGORITHMS[alg];
}

/** True when `value` names an asymmetric algorithm the guard supports. */
export function isAsymmetricAlgorithm(value: unknown): value is string {
  return typeof value === 'string' && ASYMMETRIC_ALGORITHMS.includes(value);
}

function rsaKeyFits(key: KeyObject, pss: boolean): boolean {
  const type = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) return false;
  return type === 'rsa' || (pss && type === 'rsa-pss');
}

/**
 * True when `key` may verify `alg`: RSA keys for RS and PS, an EC key of
 * the algorithm's own curve for ES, an Ed25519 or Ed448 key for EdDSA, and
 * a secret key for HS. A public key is never an HMAC secret.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  const spec = algorithmSpec(alg);
  if (spec === undefined) return false;
  if (spec.family === 'HMAC') return key.type === 'secret';
  if (key.type !== 'public') return false;

  switch (spec.family) {
    case 'RSA':
      return rsaKeyFits(key, false);
    case 'RSA-PSS':
      return rsaKeyFits(key, true);
    case 'EC':
      return (
        key.asymmetricKeyType === 'ec' &&
        key.asymmetricKeyDetails?.namedCurve === spec.curve
      );
    case 'OKP':
      return (
        key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448'
      );
  }
}
