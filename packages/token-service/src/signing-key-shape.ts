/**
 * The synchronous check of a configured signing key: a private JWK
 * (RFC 7517) of the key type that the signature algorithm requires
 * (RFC 7518 section 3.3 for RS256, section 3.4 for ES256, RFC 8037
 * section 3.1 for EdDSA).
 */

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';

/** The algorithms the token service signs with. */
export type SigningAlgorithm = 'ES256' | 'EdDSA' | 'RS256';

/** Every supported algorithm, in the order the docs list them. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'ES256',
  'EdDSA',
  'RS256',
];

/** RFC 7518 section 3.3: an RSA key for RS256 has at least 2048 bits. */
export const MIN_RSA_MODULUS_BITS = 2048;

interface KeyType {
  readonly kty: string;
  /** Absent for RSA, whose size is checked instead. */
  readonly crv?: string;
  readonly publicMembers: readonly string[];
  readonly privateMembers: readonly string[];
}

/** The key type each algorithm requires, and its members. */
export const KEY_TYPES: Readonly<Record<SigningAlgorithm, KeyType>> = {
  ES256: {
    kty: 'EC',
    crv: 'P-256',
    publicMembers: ['x', 'y'],
    privateMembers: ['d'],
  },
  EdDSA: {
    kty: 'OKP',
    crv: 'Ed25519',
    publicMembers: ['x'],
    privateMembers: ['d'],
  },
  RS256: {
    kty: 'RSA',
    publicMembers: ['n', 'e'],
    privateMembers: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  },
};

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function fail(expected: string): TypeError {
  return configError(PACKAGE_NAME, 'signingKey', expected);
}

/** Bits of a base64url big-endian integer, leading zero bytes ignored. */
export function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  const first = bytes.findIndex((byte) => byte !== 0);
  if (first < 0) return 0;
  return (
    (bytes.length - first - 1) * 8 + (bytes[first] as number).toString(2).length
  );
}

function describeType(type: KeyType): string {
  return type.crv === undefined ? type.kty : `${type.kty} ${type.crv}`;
}

function checkMembers(jwk: JWK, type: KeyType): void {
  const record = jwk as Record<string, unknown>;
  const missing = type.privateMembers.filter(
    (name) => !isNonEmptyString(record[name]),
  );
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    throw fail(`must be a private key: the ${list} member is missing`);
  }

  if (!type.publicMembers.every((name) => isNonEmptyString(record[name]))) {
    throw fail(
      `must include the public members ${type.publicMembers.join(', ')}`,
    );
  }

  if (
    type.kty === 'RSA' &&
    modulusBits(jwk.n as string) < MIN_RSA_MODULUS_BITS
  ) {
    throw fail(`must be an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits`);
  }
}

function checkUsage(jwk: JWK, algorithm: SigningAlgorithm): void {
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
    throw fail(`must be a ${describeType(type)} key for "${algorithm}"`);
  }

  checkMembers(jwk, type);
  checkUsage(jwk, algorithm);
  return Object.freeze({ ...jwk });
}
