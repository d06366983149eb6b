/**
 * Maps every failure of a verification to the AuthError the client sees:
 * the single place where parse, key, claim and revocation failures meet
 * RFC 6750. Anything unexpected becomes `invalid_token`, never a pass.
 */

import { isAuthError } from '@portcullis/core';
import type { AuthError } from '@portcullis/core';

import { TokenRejectedError } from './errors.js';

/**
 * Returns the AuthError for `error`, keeping the original as its cause.
 * Unknown failures become `invalid_token` with reason
 * `JWT_GUARD_MALFORMED_TOKEN`: a token that could not be verified is never
 * accepted.
 */
export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error;
  return new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN', error);
}
