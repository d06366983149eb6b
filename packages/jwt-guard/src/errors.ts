/**
 * The failures of the guard, built as core AuthErrors with their RFC 6750
 * challenge. Wire descriptions are generic on purpose: a client learns that
 * a token is invalid or expired, never which check failed. The check is in
 * `reason`, for the application and the audit bus.
 */

import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
} from '@portcullis/core';

import { bearerChallenge } from './challenge.js';
import type { GuardReason } from './reasons.js';

/** The description sent for every invalid token except an expired one. */
export const INVALID_TOKEN_DESCRIPTION = 'the access token is invalid';

/** The description sent for a token whose `exp` has passed. */
export const EXPIRED_TOKEN_DESCRIPTION = 'the access token has expired';

const UNAVAILABLE_DESCRIPTION =
  'the access token cannot be verified at this time';

/** Anything that carries a guard reason code. */
export interface WithReason {
  readonly reason: GuardReason;
}

/** Returns the reason code of a guard error, if it has one. */
export function reasonOf(error: unknown): GuardReason | undefined {
  const reason = (error as Partial<WithReason> | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** 401 for a request without bearer credentials: a bare challenge. */
export class MissingTokenError extends InvalidTokenError implements WithReason {
  readonly reason: GuardReason = 'JWT_GUARD_NO_TOKEN';

  constructor() {
    super('an access token is required', {
      headers: { 'WWW-Authenticate': bearerChallenge() },
    });
  }
}

/**
 * 401 `invalid_token`: the token was refused. The wire description says
 * only "invalid" or "expired"; `reason` names the check.
 */
export class TokenRejectedError
  extends InvalidTokenError
  implements WithReason
{
  readonly reason: GuardReason;

  constructor(reason: GuardReason, cause?: unknown, debug = false) {
    const base =
      reason === 'JWT_GUARD_EXPIRED'
        ? EXPIRED_TOKEN_DESCRIPTION
        : INVALID_TOKEN_DESCRIPTION;
    const description = debug ? `${base} (${reason})` : base;
    super(description, {
      cause,
      headers: {
        'WWW-Authenticate': bearerChallenge({
          code: 'invalid_token',
          description,
        }),
      },
    });
    this.reason = reason;
  }
}

/** 400 `invalid_request` for a malformed Authorization header. */
export class MalformedHeaderError
  extends InvalidRequestError
  implements WithReason
{
  readonly reason: GuardReason = 'JWT_GUARD_MALFORMED_HEADER';

  constructor() {
    const description = 'the Authorization header is malformed';
    super(description, {
      headers: {
        'WWW-Authenticate': bearerChallenge({
          code: 'invalid_request',
          description,
        }),
      },
    });
  }
}

/**
 * 503 `temporarily_unavailable` for a check that could not run (keys or
 * deny-list unreachable): the guard fails closed.
 */
export class GuardUnavailableError
  extends TemporarilyUnavailableError
  implements WithReason
{
  readonly reason: GuardReason;

  constructor(reason: GuardReason, cause?: unknown) {
    super(UNAVAILABLE_DESCRIPTION, { cause });
    this.reason = reason;
  }
}

/** 500 `server_error` for a revocation hook that answers a non-boolean. */
export class GuardMisconfiguredError extends ServerError implements WithReason {
  readonly reason: GuardReason = 'JWT_GUARD_REVOCATION_MISCONFIGURED';

  constructor(cause: unknown) {
    super('the access token cannot be checked', { cause });
  }
}

/**
 * 403 `insufficient_scope` (RFC 6750 section 3.1); the challenge names the
 * scopes the route needs in its `scope` attribute.
 */
export class ScopeRequiredError
  extends InsufficientScopeError
  implements WithReason
{
  readonly reason: GuardReason;
  readonly requiredScopes: readonly string[];

  constructor(reason: GuardReason, requiredScopes: readonly string[]) {
    const description = 'the access token lacks a required privilege';
    super(description, {
      headers: {
        'WWW-Authenticate': bearerChallenge({
          code: 'insufficient_scope',
          description,
          scope:
            requiredScopes.length === 0 ? undefined : requiredScopes.join(' '),
        }),
      },
    });
    this.reason = reason;
    this.requiredScopes = Object.freeze([...requiredScopes]);
  }
}

/** What a step-up challenge asks for (RFC 9470 section 3). */
export interface StepUpRequirement {
  readonly acrValues?: readonly string[];
  readonly maxAgeSeconds?: number;
}

/**
 * 401 `insufficient_user_authentication` (RFC 9470 section 3): the user
 * must authenticate again, more strongly or more recently. The core code
 * stays `invalid_token`; the body and challenge carry the RFC 9470 code.
 */
export class StepUpRequiredError
  extends InvalidTokenError
  implements WithReason
{
  readonly reason: GuardReason = 'JWT_GUARD_STEP_UP_REQUIRED';
  readonly requirement: StepUpRequirement;

  constructor(requirement: StepUpRequirement) {
    const description = 'a stronger or more recent authentication is required';
    super(description, {
      headers: {
        'WWW-Authenticate': bearerChallenge({
          code: 'insufficient_user_authentication',
          description,
          acrValues: requirement.acrValues?.join(' '),
          maxAge: requirement.maxAgeSeconds,
        }),
      },
    });
    this.requirement = Object.freeze({ ...requirement });
  }

  /** The body, with the RFC 9470 error code. */
  override toJSON(): { error: never; error_description: string } {
    return {
      error: 'insufficient_user_authentication' as never,
      error_description: this.description,
    };
  }
}

/**
 * 401 `invalid_dpop_proof` (RFC 9449 section 7.1): the DPoP proof is
 * missing, malformed, replayed or does not bind the token. The challenge
 * uses the DPoP scheme and lists the accepted `algs`.
 */
export class DpopProofError extends InvalidTokenError implements WithReason {
  readonly reason: GuardReason;

  constructor(reason: GuardReason, algorithms: readonly string[]) {
    const description = 'the DPoP proof is invalid';
    super(description, {
      headers: {
        'WWW-Authenticate':
          `DPoP error="invalid_dpop_proof", ` +
          `error_description="${description}", ` +
          `algs="${algorithms.join(' ')}"`,
      },
    });
    this.reason = reason;
  }

  /** The body, with the RFC 9449 error code. */
  override toJSON(): { error: never; error_description: string } {
    return {
      error: 'invalid_dpop_proof' as never,
      error_description: this.description,
    };
  }
}

/**
 * 401 `use_dpop_nonce` (RFC 9449 section 9): the proof lacks the server's
 * current nonce, which the `DPoP-Nonce` response header carries.
 */
export class DpopNonceError extends InvalidTokenError implements WithReason {
  readonly reason: GuardReason = 'JWT_GUARD_DPOP_NONCE';

  constructor(nonce: string, algorithms: readonly string[]) {
    const description = 'the DPoP proof must carry the server nonce';
    super(description, {
      headers: {
        'WWW-Authenticate':
          `DPoP error="use_dpop_nonce", ` +
          `error_description="${description}", ` +
          `algs="${algorithms.join(' ')}"`,
        'DPoP-Nonce': nonce,
      },
    });
  }

  /** The body, with the RFC 9449 error code. */
  override toJSON(): { error: never; error_description: string } {
    return {
      error: 'use_dpop_nonce' as never,
      error_description: this.description,
    };
  }
}
