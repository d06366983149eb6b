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

function verifyAsymmetric(
  spec: AlgorithmSpec,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  // RFC 7518 section 3.4: ECDSA signatures are R || S of fixed length.
  if (spec.signatureBytes !== undefined) {
    if (signature.length !== spec.signatureBytes) return false;
    return cryptoVerify(
      spec.hash,
      data,
      { key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
  }

  if (spec.family === 'RSA-PSS' && spec.hash !== undefined) {
    // RFC 7518 section 3.5: MGF1 with the same hash, salt of hash length.
    return cryptoVerify(
      spec.hash,
      data,
      {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: PSS_SALT_BYTES[spec.hash],
      },
      signature,
    );
  }

  if (spec.family === 'RSA') {
    return cryptoVerify(
      spec.hash ?? null,
      data,
      { key, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
  }

  return cryptoVerify(null, data, key, signature);
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
  const spec = algorithmSpec(alg);
  if (spec === undefined || !keyFitsAlgorithm(key, alg)) return false;
  if (signature.length === 0) return false;

  try {
    if (spec.family === 'HMAC') return verifyHmac(spec, key, data, signature);
    return verifyAsymmetric(spec, key, data, signature);
  } catch {
    return false;
  }
}
