/**
 * The one signature check of the guard: a JWS signature over its signing
 * input (RFC 7515 section 5.2), verified with node:crypto and a cached
 * KeyObject. It never throws: any failure is a signature that does not
 * verify.
 */

import {
  constants,
  createHmac,
  timingSafeEqual,
  verify as cryptoVerify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { algorithmSpec, keyFitsAlgorithm } from './algorithms.js';
import type { AlgorithmSpec } from './algorithms.js';

const PSS_SALT_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

function verifyHmac(
  spec: AlgorithmSpec,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const expected = createHmac(spec.hash ?? 'sha256', key)
    .update(data)
    .digest();
  return (
    expected.length === signature.length && timingSafeEqual(expected, signature)
  );
}

/** The node:crypto options of an asymmetric JWS algorithm, but the key. */
export interface AsymmetricOptions {
  readonly dsaEncoding?: 'ieee-p1363';
  readonly padding?: number;
  readonly saltLength?: number;
}

/** The node:crypto arguments of an asymmetric JWS check, but the key. */
export interface AsymmetricCall {
  readonly hash: string | null;
  readonly options: AsymmetricOptions;
}

const ECDSA: AsymmetricOptions = Object.freeze({ dsaEncoding: 'ieee-p1363' });
const PKCS1: AsymmetricOptions = Object.freeze({
  padding: constants.RSA_PKCS1_PADDING,
});
const NO_OPTIONS: AsymmetricOptions = Object.freeze({});

// RFC 7518 sections 3.3-3.5 and RFC 8037: the hash and padding of each
// family; undefined when the signature cannot be valid for `spec`.
function asymmetricCall(
  spec: AlgorithmSpec,
  signature: Uint8Array,
): AsymmetricCall | undefined {
  // RFC 7518 section 3.4: ECDSA signatures are R || S of fixed length.
  if (spec.signatureBytes !== undefined) {
    if (signature.length !== spec.signatureBytes) return undefined;
    return { hash: spec.hash ?? null, options: ECDSA };
  }

  if (spec.family === 'RSA-PSS' && spec.hash !== undefined) {
    // RFC 7518 section 3.5: MGF1 with the same hash, salt of hash length.
    return {
      hash: spec.hash,
      options: {
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: PSS_SALT_BYTES[spec.hash],
      },
    };
  }

  if (spec.family === 'RSA') return { hash: spec.hash ?? null, options: PKCS1 };
  return { hash: null, options: NO_OPTIONS };
}

// The checks both paths share; undefined means "cannot verify".
function prepare(
  alg: string,
  key: KeyObject,
  signature: Uint8Array,
): AlgorithmSpec | undefined {
  const spec = algorithmSpec(alg);
  if (spec === undefined || !keyFitsAlgorithm(key, alg)) return undefined;
  if (signature.length === 0) return undefined;
  return spec;
}

/**
 * The node:crypto arguments that check `signature` under `alg` with `key`:
 * null for HMAC, undefined when the signature cannot verify (unknown
 * algorithm, a key of the wrong type, a malformed signature).
 */
export function asymmetricArguments(
  alg: string,
  key: KeyObject,
  signature: Uint8Array,
): AsymmetricCall | null | undefined {
  try {
    const spec = prepare(alg, key, signature);
    if (spec === undefined) return undefined;
    if (spec.family === 'HMAC') return null;
    return asymmetricCall(spec, signature);
  } catch {
    return undefined;
  }
}

/**
 * Verifies `signature` over `data` with `key` under `alg`. Returns false
 * for an unknown algorithm, a key of the wrong type for `alg`, a malformed
 * signature or one that does not verify.
 */
export function verifySignature(
  alg: string,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    const spec = prepare(alg, key, signature);
    if (spec === undefined) return false;
    if (spec.family === 'HMAC') return verifyHmac(spec, key, data, signature);
    const call = asymmetricCall(spec, signature);
    if (call === undefined) return false;
    return cryptoVerify(call.hash, data, { ...call.options, key }, signature);
  } catch {
    return false;
  }
}

/**
 * The same check as {@link verifySignature}, run on libuv's thread pool
 * (node:crypto's callback form) for asymmetric algorithms, so that the
 * event loop keeps serving requests meanwhile. HMAC stays synchronous: it
 * costs less than the hop. Resolves to false wherever the synchronous
 * check returns false; never rejects.
 */
export function verifySignatureAsync(
  alg: string,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const call = asymmetricArguments(alg, key, signature);
      if (call === null) {
        resolve(verifySignature(alg, key, data, signature));
        return;
      }

      if (call === undefined) {
        resolve(false);
        return;
      }

      const keyInput = { ...call.options, key };
      cryptoVerify(call.hash, data, keyInput, signature, (error, valid) => {
        resolve(error === null && valid === true);
      });
    } catch {
      resolve(false);
    }
  });
}
