/**
 * Verifies access tokens this service issued, with the public keys of its
 * key ring, for introspection and revocation.
 */

import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';

import { TemporarilyUnavailableError } from '@portcullis/core';

import { SIGNING_ALGORITHMS } from './signing-key-shape.js';

/** A token whose kid is unknown re-reads the ring at most this often. */
const UNKNOWN_KID_REFRESH_MS = 1000;

/** Resolves to the claims of a valid token, or undefined. */
export type VerifyOwnAccessToken = (
  token: string,
) => Promise<JWTPayload | undefined>;

/** The part of the key ring the verifier reads. */
export interface VerificationKeys {
  jwks(): JSONWebKeySet;
  refresh(maxAgeMs?: number): Promise<void>;
}

function isUnknownKid(error: unknown): boolean {
  return (
    (error as { code?: unknown } | null)?.code === 'ERR_JWKS_NO_MATCHING_KEY'
  );
}

/**
 * Creates the verifier for tokens signed by the ring's keys under
 * `issuer`. A token signed by a key that another instance added since
 * this one last read the ring triggers one re-read.
 *
 * @throws TemporarilyUnavailableError (503, as a rejection) when that
 * re-read fails.
 */
export function createOwnTokenVerifier(
  issuer: string,
  keys: VerificationKeys,
): VerifyOwnAccessToken {
  let cachedFor: JSONWebKeySet | undefined;
  let cached: ReturnType<typeof createLocalJWKSet> | undefined;
  const verifyWithRing = async (token: string) => {
    const jwks = keys.jwks();
    if (jwks !== cachedFor || cached === undefined) {
      cachedFor = jwks;
      cached = createLocalJWKSet(jwks);
    }

    const { payload } = await jwtVerify(token, cached, {
      issuer,
      typ: 'at+jwt',
      // Each published key carries its alg, which jose's key selection
      // requires to match the header's, so this list widens nothing.
      algorithms: [...SIGNING_ALGORITHMS],
      requiredClaims: ['exp', 'jti', 'sub', 'client_id'],
    });
    return payload;
  };

  return async function verifyOwnAccessToken(token) {
    try {
      return await verifyWithRing(token);
    } catch (error) {
      if (!isUnknownKid(error)) return undefined;
    }

    try {
      await keys.refresh(UNKNOWN_KID_REFRESH_MS);
    } catch (cause) {
      throw new TemporarilyUnavailableError(
        'the key store is temporarily unavailable',
        { cause },
      );
    }

    return verifyWithRing(token).catch(() => undefined);
  };
}
