/**
 * Verifies access tokens this service issued, with its own public keys,
 * for introspection and revocation.
 */

import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';

/** Resolves to the claims of a valid token, or undefined. */
export type VerifyOwnAccessToken = (
  token: string,
) => Promise<JWTPayload | undefined>;

/** Creates the verifier for tokens signed by `jwks` under `issuer`. */
export function createOwnTokenVerifier(
  issuer: string,
  jwks: JSONWebKeySet,
  algorithm: string,
): VerifyOwnAccessToken {
  const keys = createLocalJWKSet(jwks);
  return async function verifyOwnAccessToken(token) {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        typ: 'at+jwt',
        algorithms: [algorithm],
        requiredClaims: ['exp', 'jti', 'sub', 'client_id'],
      });
      return payload;
    } catch {
      return undefined;
    }
  };
}
