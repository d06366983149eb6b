/**
 * The synchronous check of a configured signing key: a private JWK
 * (RFC 7517) of the key type that the signature algorithm requires
 * (RFC 7518 section 3.4 for ES256, RFC 8037 section 3.1 for EdDSA).
 */

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';

/** The algorithms the token service signs with. */
export type SigningAlgorithm = 'ES256' | 'EdDSA';

interface KeyType {
  readonly kty: string;
  readonly crv: string;
  readonly publicMembers: readonly string[];
}

/** The key type each algorithm requires, and its public members. */
export const KEY_TYPES: Readonly<Record<SigningAlgorithm, KeyType>> = {
  ES256: { kty: 'EC', crv: 'P-256', publicMembers: ['x', 'y'] },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', publicMembers: ['x'] },
};

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function fail(expected: string): TypeError {
  return configError(PACKAGE_NAME, 'signingKey', expected);
}

/**
 * Returns a frozen copy of `value` when it is a private JWK for
 * `algorithm`. Messages describe the key, never its private members.
 *
 * @throws TypeError naming `signingKey` otherwise.
 */
export function checkSigningKey(
  value: unknown,
  algorithm: SigningAlgorithm,
): JWK | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('must be a private JWK object');
  }

  const jwk = value as JWK;
  const type = KEY_TYPES[algorithm];
  if (jwk.kty !== type.kty || jwk.crv !== type.crv) {
    throw fail(`must be a ${type.kty} ${type.crv} key for "${algorithm}"`);
  }

  if (!isNonEmptyString(jwk.d)) {
    throw fail('must be a private key: the "d" member is missing');
  }

  const record = jwk as Record<string, unknown>;
  if (!type.publicMembers.every((name) => isNonEmptyString(record[name]))) {
    throw fail(
      `must include the public members ${type.publicMembers.join(', ')}`,
    );
  }

  if (jwk.alg !== undefined && jwk.alg !== algorithm) {
    throw fail(`is marked for "${jwk.alg}", not "${algorithm}"`);
  }

  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw fail('must have "use" of "sig" when "use" is present');
  }

  const keyOps: unknown = jwk.key_ops;
  if (
    keyOps !== undefined &&
    (!Array.isArray(keyOps) || !keyOps.includes('sign'))
  ) {
    throw fail('must allow "sign" when "key_ops" is present');
  }

  return Object.freeze({ ...jwk });
}
