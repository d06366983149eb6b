/**
 * The public keys of a `private_key_jwt` client (RFC 7523 section 2.2,
 * OpenID Connect Core section 9): a static JWK Set checked at startup, or
 * a `jwksUri` read through jose's remote key set with a timeout.
 */

import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import type { JWK, JWTVerifyGetKey } from 'jose';

import {
  TemporarilyUnavailableError,
  configError,
  parseSecureUrl,
} from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';

const JWKS_TIMEOUT_MILLISECONDS = 3000;
const JWKS_COOLDOWN_MILLISECONDS = 30_000;
const JWKS_CACHE_MAX_AGE_MILLISECONDS = 600_000;
const MIN_RSA_MODULUS_BYTES = 256;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Signature algorithms accepted on client assertions. */
export const ASSERTION_ALGORITHMS = [
  'RS256',
  'PS256',
  'ES256',
  'EdDSA',
] as const;

/** Algorithms by key type; HS* and `none` are never accepted. */
const ALGORITHMS_BY_KEY_TYPE: Readonly<Record<string, readonly string[]>> = {
  RSA: ['RS256', 'PS256'],
  EC: ['ES256'],
  OKP: ['EdDSA'],
};
const CURVE_BY_KEY_TYPE: Readonly<Record<string, string>> = {
  EC: 'P-256',
  OKP: 'Ed25519',
};

/** Where a client's keys come from. */
export interface ClientKeys {
  /** Resolves the key named by an assertion's header. */
  readonly getKey: JWTVerifyGetKey;
  /** True when the keys are fetched from `jwksUri`. */
  readonly remote: boolean;
}

function checkMembers(jwk: Record<string, unknown>, path: string): void {
  const kty = String(jwk.kty);
  const algorithms = ALGORITHMS_BY_KEY_TYPE[kty];
  if (algorithms === undefined) {
    throw configError(PACKAGE_NAME, `${path}.kty`, 'must be RSA, EC or OKP');
  }

  const curve = CURVE_BY_KEY_TYPE[kty];
  if (curve !== undefined && jwk.crv !== curve) {
    throw configError(PACKAGE_NAME, `${path}.crv`, `must be ${curve}`);
  }

  const secret = PRIVATE_MEMBERS.find((member) => member in jwk);
  if (secret !== undefined) {
    throw configError(
      PACKAGE_NAME,
      `${path}.${secret}`,
      'must be absent: list public keys only',
    );
  }

  if (jwk.alg !== undefined && !algorithms.includes(String(jwk.alg))) {
    throw configError(
      PACKAGE_NAME,
      `${path}.alg`,
      `must be one of ${algorithms.join(', ')} for a ${kty} key`,
    );
  }

  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw configError(PACKAGE_NAME, `${path}.use`, 'must be "sig"');
  }

  const ops = jwk.key_ops;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify'))) {
    throw configError(PACKAGE_NAME, `${path}.key_ops`, 'must list "verify"');
  }
}

function checkPublicJwk(value: unknown, path: string): JWK {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(PACKAGE_NAME, path, 'must be a public JWK object');
  }

  const jwk = value as Record<string, unknown>;
  checkMembers(jwk, path);
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') {
    throw configError(PACKAGE_NAME, `${path}.kid`, 'must be a string');
  }

  let modulusBytes = 0;
  try {
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (jwk.kty === 'RSA') {
      modulusBytes = Buffer.from(String(jwk.n), 'base64url').length;
    }
  } catch {
    throw configError(PACKAGE_NAME, path, 'is not a valid public JWK');
  }

  if (jwk.kty === 'RSA' && modulusBytes < MIN_RSA_MODULUS_BYTES) {
    throw configError(PACKAGE_NAME, `${path}.n`, 'must be 2048 bits or more');
  }
  return structuredClone(jwk) as JWK;
}

function checkJwks(value: unknown, path: string): JWK[] {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw configError(
      PACKAGE_NAME,
      path,
      'must be a JWK Set: { keys: [public JWKs] }',
    );
  }
  return keys.map((key, index) =>
    checkPublicJwk(key, `${path}.keys[${index}]`),
  );
}

// Lookup failures that mean "no such key" stay refusals; anything else
// (timeout, network, bad response) means the upstream is unavailable.
function isKeyRefusal(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

function remoteKeys(url: URL): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: JWKS_TIMEOUT_MILLISECONDS,
    cooldownDuration: JWKS_COOLDOWN_MILLISECONDS,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MILLISECONDS,
  });

  return async function clientJwksUri(header, token) {
    try {
      return await remote(header, token);
    } catch (error) {
      if (isKeyRefusal(error)) throw error;
      throw new TemporarilyUnavailableError(
        'the client keys are temporarily unavailable',
        { cause: error },
      );
    }
  };
}

/**
 * Validates a client's `jwks` or `jwksUri` (exactly one is given) into a
 * key resolver for jose's `jwtVerify`.
 *
 * @throws TypeError naming the member that is wrong: a private member, an
 * unsupported key type or curve, an RSA modulus under 2048 bits, or a
 * `jwksUri` that is not https (http only on loopback hosts).
 */
export function checkClientKeys(
  jwks: unknown,
  jwksUri: unknown,
  path: string,
): ClientKeys {
  if (jwksUri !== undefined) {
    const url = parseSecureUrl(PACKAGE_NAME, `${path}.jwksUri`, jwksUri);
    return Object.freeze({ getKey: remoteKeys(url), remote: true });
  }

  const keys = checkJwks(jwks, `${path}.jwks`);
  return Object.freeze({
    getKey: createLocalJWKSet({ keys }),
    remote: false,
  });
}
