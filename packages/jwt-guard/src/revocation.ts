/**
 * Runs the application's deny-list check on verified claims. The check
 * fails closed: when it cannot answer, the request is refused with 503.
 */

import type { JWTPayload } from 'jose';

import { ServerError } from '@portcullis/core';

import {
  INVALID_TOKEN_DESCRIPTION,
  invalidTokenError,
  unavailableError,
} from './errors.js';

/** The deny-list check of `RequireAuthOptions.isRevoked`. */
export type RevocationCheck = (
  claims: JWTPayload,
) => boolean | Promise<boolean>;

/**
 * Resolves when the token is not revoked.
 *
 * @throws InvalidTokenError (401) when `isRevoked` answers `true`.
 * @throws TemporarilyUnavailableError (503) when it throws or rejects.
 * @throws ServerError (500) when it answers anything but a boolean.
 */
export async function checkRevocation(
  isRevoked: RevocationCheck | undefined,
  claims: JWTPayload,
): Promise<void> {
  if (isRevoked === undefined) return;

  let revoked: unknown;
  try {
    revoked = await isRevoked(claims);
  } catch (error) {
    throw unavailableError(error);
  }

  if (revoked === false) return;
  if (revoked === true) throw invalidTokenError(INVALID_TOKEN_DESCRIPTION);
  throw new ServerError('the access token cannot be checked', {
    cause: new TypeError('isRevoked must return a boolean'),
  });
}
