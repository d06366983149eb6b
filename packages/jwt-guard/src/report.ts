/**
 * Emits one audit event per outcome of the guard, with its reason code, and
 * the matching log line. Events and logs name the issuer and subject only,
 * never the token or the claims set.
 */

import type { AuthError } from '@portcullis/core';

import { MissingTokenError, reasonOf } from './errors.js';
import type { GuardConfig } from './options.js';
import type { GuardReason } from './reasons.js';

/** Reports an admitted request (`token.accepted`). */
export function reportAccepted(
  config: Pick<GuardConfig, 'audit'>,
  reason: GuardReason,
  issuer?: string,
  subject?: unknown,
): void {
  config.audit?.emit('token.accepted', {
    reason,
    issuer,
    subject: typeof subject === 'string' ? subject : undefined,
  });
}

/**
 * Reports a refused request (`token.refused`, plus the older
 * `token.rejected` for a presented token) and logs its reason.
 */
export function reportRefused(
  config: Pick<GuardConfig, 'audit' | 'logger'>,
  error: AuthError,
  issuer?: string,
): void {
  const reason = reasonOf(error) ?? 'JWT_GUARD_MALFORMED_TOKEN';
  config.audit?.emit('token.refused', {
    reason,
    code: error.code,
    status: error.status,
    issuer,
  });

  // A request without credentials is routine, not a rejected token.
  if (error instanceof MissingTokenError) return;
  config.audit?.emit('token.rejected', { code: error.code });
  const level = error.status >= 500 ? 'warn' : 'debug';
  config.logger[level]('access token rejected', {
    code: error.code,
    reason,
    issuer,
  });
}
