/**
 * Runs the deny-list checks on verified claims: the application's
 * `isRevoked` hook and the `denyList` store (by `jti` or `sid`). Both fail
 * closed: when they cannot answer, the request is refused with 503.
 */

import type { JWTPayload } from 'jose';

import {
  GuardMisconfiguredError,
  GuardUnavailableError,
  TokenRejectedError,
} from './errors.js';
import type { DenyListView } from './deny-list-view.js';
import type { GuardConfig, RevocationCheck } from './options.js';

/**
 * Resolves when the `isRevoked` hook clears the token.
 *
 * @throws TokenRejectedError (401) when it answers `true`.
 * @throws GuardUnavailableError (503) when it throws or rejects.
 * @throws GuardMisconfiguredError (500) when it answers a non-boolean.
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
    throw new GuardUnavailableError('JWT_GUARD_REVOCATION_UNAVAILABLE', error);
  }

  if (revoked === false) return;
  if (revoked === true) throw new TokenRejectedError('JWT_GUARD_REVOKED');
  throw new GuardMisconfiguredError(
    new TypeError('isRevoked must return a boolean'),
  );
}

/**
 * Resolves when the deny-list store does not hold the token's `jti` (or
 * `sid`). A token without that claim cannot be revoked this way and is
 * refused, so revocation can never be skipped by leaving the claim out.
 *
 * @throws TokenRejectedError (401) when the entry is present or the claim
 * is missing.
 * @throws GuardUnavailableError (503) when the store fails.
 */
export async function checkDenyList(
  denyList: GuardConfig['denyList'],
  view: DenyListView | undefined,
  claims: Readonly<Record<string, unknown>>,
  nowMs: number,
): Promise<void> {
  if (denyList === undefined || view === undefined) return;
  const key = claims[denyList.claim];
  if (typeof key !== 'string' || key.length === 0) {
    throw new TokenRejectedError('JWT_GUARD_CLAIM_MISSING');
  }

  if (view.knownClear(key, nowMs)) return;
  let listed: unknown;
  try {
    listed = await view.has(key, nowMs);
  } catch (error) {
    throw new GuardUnavailableError('JWT_GUARD_REVOCATION_UNAVAILABLE', error);
  }

  if (listed === false) return;
  if (listed === true) throw new TokenRejectedError('JWT_GUARD_REVOKED');
  throw new GuardUnavailableError(
    'JWT_GUARD_REVOCATION_UNAVAILABLE',
    new TypeError('DenyList.has must resolve to a boolean'),
  );
}
