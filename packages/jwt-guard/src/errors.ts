/**
 * The failures of the guard, built as core AuthErrors with their RFC 6750
 * challenge. Descriptions are generic on purpose: a client learns that a
 * token is invalid or expired, never which check failed.
 */

import {
  InvalidRequestError,
  InvalidTokenError,
  TemporarilyUnavailableError,
} from '@portcullis/core';

import { bearerChallenge } from './challenge.js';

/** The description sent for every invalid token except an expired one. */
export const INVALID_TOKEN_DESCRIPTION = 'the access token is invalid';

/** The description sent for a token whose `exp` has passed. */
export const EXPIRED_TOKEN_DESCRIPTION = 'the access token has expired';

/** 401 for a request without bearer credentials: a bare challenge. */
export class MissingTokenError extends InvalidTokenError {
  constructor() {
    super('an access token is required', {
      headers: { 'WWW-Authenticate': bearerChallenge() },
    });
  }
}

/** Builds the 401 `invalid_token` error with its challenge. */
export function invalidTokenError(
  description: string,
  cause?: unknown,
): InvalidTokenError {
  const challenge = bearerChallenge({ code: 'invalid_token', description });
  return new InvalidTokenError(description, {
    cause,
    headers: { 'WWW-Authenticate': challenge },
  });
}

/** Builds the 400 `invalid_request` error for a malformed header. */
export function malformedHeaderError(): InvalidRequestError {
  const description = 'the Authorization header is malformed';
  const challenge = bearerChallenge({ code: 'invalid_request', description });
  return new InvalidRequestError(description, {
    headers: { 'WWW-Authenticate': challenge },
  });
}

/**
 * Builds the 503 `temporarily_unavailable` error for a check that could not
 * run (JWKS endpoint down, revocation store failing): the guard fails
 * closed.
 */
export function unavailableError(cause: unknown): TemporarilyUnavailableError {
  return new TemporarilyUnavailableError(
    'the access token cannot be verified at this time',
    { cause },
  );
}

/**
 * Marks a failure of the JWKS endpoint (network, timeout, bad response), as
 * opposed to a token that matches no key. Internal: it becomes a 503.
 */
export class JwksUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the JWKS endpoint could not be used', { cause });
    this.name = 'JwksUnavailableError';
  }
}
