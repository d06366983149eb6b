/**
 * Resolves the verification key of a token from the issuer's JSON Web Key
 * Set (RFC 7517 section 5) through jose's remote JWKS cache, and separates
 * an endpoint failure from a token that matches no key.
 */

import { createRemoteJWKSet, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';

import { JwksUnavailableError } from './errors.js';

// A token whose kid or alg matches no key in the set is a token problem;
// every other failure (network, timeout, non-200, malformed set) is the
// endpoint's and must not be reported as an invalid token.
function isTokenMismatch(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  );
}

/**
 * Creates the key resolver for `jwtVerify`. Keys come only from the
 * configured set: `jku`, `x5u`, `jwk` and `x5c` token headers are ignored.
 *
 * @throws JwksUnavailableError (from the resolver) when the set cannot be
 * fetched or read.
 */
export function createKeyResolver(jwksUrl: URL): JWTVerifyGetKey {
  const remoteSet = createRemoteJWKSet(jwksUrl);

  return async function resolveKey(header, token) {
    try {
      return await remoteSet(header, token);
    } catch (error) {
      if (isTokenMismatch(error)) throw error;
      throw new JwksUnavailableError(error);
    }
  };
}
