/**
 * Authorization guards that run after `requireAuth`: scopes (RFC 6750
 * section 3.1, `insufficient_scope`) and claim matchers. Scopes match as
 * whole strings, never as substrings or prefixes.
 */

import type { RequestHandler } from 'express';

import { configError } from '@portcullis/core';

import { ScopeRequiredError } from './errors.js';
import { checkGuardOptions, checkScopeList, guard } from './guard-options.js';
import type { GuardOptions } from './guard-options.js';

/** A claim matcher: a value, one of several values, or a predicate. */
export type ClaimMatcher =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | ((value: unknown) => boolean);

function matches(matcher: ClaimMatcher, value: unknown): boolean {
  if (typeof matcher === 'function') {
    try {
      return matcher(value) === true;
    } catch {
      return false;
    }
  }

  const allowed: readonly unknown[] = Array.isArray(matcher)
    ? matcher
    : [matcher];
  // An array claim (such as `groups`) matches when one entry is allowed.
  const values = Array.isArray(value) ? value : [value];
  return values.some((entry) => allowed.includes(entry));
}

/**
 * Admits a request whose token grants every scope of `scopes`; otherwise
 * 403 `insufficient_scope` with `scope="..."` in the challenge.
 *
 * @throws TypeError at startup when `scopes` is empty or holds a non-scope.
 * @example app.get('/items', requireAuth(opts), requireScopes(['read:items']))
 */
export function requireScopes(
  scopes: readonly string[],
  options?: GuardOptions,
): RequestHandler {
  const required = checkScopeList('scopes', scopes);
  const { audit } = checkGuardOptions(options);
  const run = guard(audit, (auth) =>
    required.every((scope) => auth.scopes.includes(scope))
      ? undefined
      : new ScopeRequiredError('JWT_GUARD_SCOPE_MISSING', required),
  );
  return function portcullisRequireScopes(req, _res, next) {
    run(req, next);
  };
}

/**
 * Admits a request whose token grants at least one scope of `scopes`;
 * otherwise 403 `insufficient_scope` naming them all.
 *
 * @throws TypeError at startup when `scopes` is empty or holds a non-scope.
 */
export function requireAnyScope(
  scopes: readonly string[],
  options?: GuardOptions,
): RequestHandler {
  const accepted = checkScopeList('scopes', scopes);
  const { audit } = checkGuardOptions(options);
  const run = guard(audit, (auth) =>
    accepted.some((scope) => auth.scopes.includes(scope))
      ? undefined
      : new ScopeRequiredError('JWT_GUARD_SCOPE_MISSING', accepted),
  );
  return function portcullisRequireAnyScope(req, _res, next) {
    run(req, next);
  };
}

/**
 * Admits a request whose verified claim `name` matches `matcher`: equal to
 * a value, one of a list, or accepted by a predicate (a throwing predicate
 * refuses). An array claim matches when one entry does. Otherwise 403
 * `insufficient_scope`.
 *
 * @example requireClaim('org_id', 'org_123')
 */
export function requireClaim(
  name: string,
  matcher: ClaimMatcher,
  options?: GuardOptions,
): RequestHandler {
  if (typeof name !== 'string' || name.length === 0) {
    throw configError('@portcullis/jwt-guard', 'name', 'must be a claim name');
  }

  if (
    matcher === undefined ||
    (Array.isArray(matcher) && matcher.length === 0)
  ) {
    throw configError('@portcullis/jwt-guard', 'matcher', 'is required');
  }

  const { audit } = checkGuardOptions(options);
  const run = guard(audit, (auth) =>
    matches(matcher, (auth.claims as Record<string, unknown>)[name])
      ? undefined
      : new ScopeRequiredError('JWT_GUARD_CLAIM_MISMATCH', []),
  );
  return function portcullisRequireClaim(req, _res, next) {
    run(req, next);
  };
}
