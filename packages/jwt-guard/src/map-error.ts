/**
 * Maps every failure of a verification to the AuthError the client sees:
 * the single place where jose, JWKS and revocation errors meet RFC 6750.
 */

import { errors } from 'jose';

import { isAuthError } from '@portcullis/core';
import type { AuthError } from '@portcullis/core';

import {
  EXPIRED_TOKEN_DESCRIPTION,
  INVALID_TOKEN_DESCRIPTION,
  JwksUnavailableError,
  invalidTokenError,
  unavailableError,
} from './errors.js';

/**
 * Returns the AuthError for `error`, keeping the original as its cause.
 * Unknown failures become `invalid_token`: a token that could not be
 * verified is never accepted.
 */
export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error;
  if (error instanceof JwksUnavailableError) return unavailableError(error);
  if (error instanceof errors.JWTExpired) {
    return invalidTokenError(EXPIRED_TOKEN_DESCRIPTION, error);
  }

  return invalidTokenError(INVALID_TOKEN_DESCRIPTION, error);
}
