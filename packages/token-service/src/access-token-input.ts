/**
 * The input of `mintAccessToken` and its validation. A bad input is a
 * programming error of the caller, so it is reported as a TypeError.
 */

import { PACKAGE_NAME } from './package-name.js';

/** What `mintAccessToken` puts in a token. */
export interface AccessTokenInput {
  /** Required. The `sub` claim: the user or the client the token is for. */
  subject: string;
  /** Required. The `aud` claim: the resource server that accepts it. */
  audience: string;
  /** Required. The `client_id` claim: the client it was issued to. */
  clientId: string;
  /**
   * Granted scopes, joined with spaces into the `scope` claim. Default:
   * none, and the claim is omitted.
   */
  scope?: readonly string[];
  /** The `sid` claim: the session it belongs to. Default: omitted. */
  sessionId?: string;
  /** Lifetime in seconds. Default: the service's `accessTokenTtlSeconds`. */
  ttlSeconds?: number;
}

/** The input after validation, with the lifetime resolved. */
export interface NormalizedAccessTokenInput {
  readonly subject: string;
  readonly audience: string;
  readonly clientId: string;
  readonly scope: readonly string[];
  readonly sessionId: string | undefined;
  readonly ttlSeconds: number;
}

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

function inputError(field: string, expected: string): TypeError {
  return new TypeError(
    `${PACKAGE_NAME}: mintAccessToken input "${field}" ${expected}`,
  );
}

function requireText(field: string, value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw inputError(field, 'must be a non-empty string');
}

function checkScope(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw inputError('scope', 'must be an array');

  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || !SCOPE_TOKEN.test(entry)) {
      throw inputError(
        `scope[${index}]`,
        'must be a scope token without spaces or quotes',
      );
    }
  });
  return [...new Set(value as string[])];
}

function checkTtl(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    return value;
  }

  throw inputError('ttlSeconds', 'must be a positive integer');
}

/**
 * Validates `input` and resolves its lifetime.
 *
 * @throws TypeError naming the field when one is missing or malformed.
 */
export function normalizeAccessTokenInput(
  input: unknown,
  defaultTtlSeconds: number,
): NormalizedAccessTokenInput {
  if (typeof input !== 'object' || input === null) {
    throw inputError('input', 'must be an object');
  }

  const fields = input as Record<string, unknown>;
  return {
    subject: requireText('subject', fields.subject),
    audience: requireText('audience', fields.audience),
    clientId: requireText('clientId', fields.clientId),
    scope: checkScope(fields.scope),
    sessionId:
      fields.sessionId === undefined
        ? undefined
        : requireText('sessionId', fields.sessionId),
    ttlSeconds: checkTtl(fields.ttlSeconds, defaultTtlSeconds),
  };
}
