/**
 * Loads the service's signing key: imports the configured private JWK, or
 * generates a key pair with jose when none is configured, and derives the
 * public JWK to publish from the same members.
 */

import { exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';
import { toPublicJwk } from './public-jwk.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

/** A key ready to sign, with the public JWK that verifies it. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  /** Non-extractable private key. */
  readonly privateKey: CryptoKey;
  /** Public members, `kid` (RFC 7638 thumbprint), `alg`, `use`. */
  readonly publicJwk: JWK;
}

async function generatePrivateJwk(algorithm: SigningAlgorithm): Promise<JWK> {
  const { privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
  });
  return exportJWK(privateKey);
}

async function importPrivateKey(
  jwk: JWK,
  algorithm: SigningAlgorithm,
): Promise<CryptoKey> {
  // Only the key members are imported: ext, key_ops and the like from the
  // configuration never widen what the imported key may do. WebCrypto's
  // import checks that x (and y) belong to d, so the published public key
  // always verifies what this key signs.
  const { kty, crv, x, y, d } = jwk;
  try {
    const key = await importJWK({ kty, crv, x, y, d }, algorithm, {
      extractable: false,
    });
    return key as CryptoKey;
  } catch (cause) {
    throw Object.assign(
      configError(
        PACKAGE_NAME,
        'signingKey',
        'is not a valid private key, or its public members do not match it',
      ),
      { cause },
    );
  }
}

/**
 * Loads the configured key, or generates one when `configured` is absent.
 *
 * @throws TypeError naming `signingKey` (as a rejection) when the key
 * cannot be imported or its public members do not match it.
 */
export async function loadSigningKey(
  configured: JWK | undefined,
  algorithm: SigningAlgorithm,
): Promise<SigningKey> {
  const privateJwk = configured ?? (await generatePrivateJwk(algorithm));
  return Object.freeze({
    algorithm,
    privateKey: await importPrivateKey(privateJwk, algorithm),
    publicJwk: await toPublicJwk(privateJwk, algorithm),
  });
}
