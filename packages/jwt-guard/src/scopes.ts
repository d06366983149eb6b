/**
 * Reads the granted scopes of a token: the space-separated `scope` claim
 * (RFC 9068 section 2.2.3, RFC 8693 section 4.2), or the `scp` and
 * `permissions` arrays some IdPs send instead. Scopes are whole strings;
 * nothing here matches substrings.
 */

import type { ScopeClaim } from './options.js';

function scopesOfClaim(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split(' ').filter((scope) => scope.length > 0);
  }

  if (!Array.isArray(value)) return [];
  return value.filter(
    (scope): scope is string => typeof scope === 'string' && scope.length > 0,
  );
}

/**
 * Returns the scopes of a `scope` claim value, without duplicates. A claim
 * that is absent or not a string grants no scope.
 */
export function parseScopes(claim: unknown): readonly string[] {
  if (typeof claim !== 'string') return Object.freeze([]);
  return Object.freeze([...new Set(scopesOfClaim(claim))]);
}

/**
 * Returns the scopes granted by `claims`, read from each claim of
 * `sources` in turn (a string is split on spaces, an array taken as is),
 * without duplicates.
 */
export function readScopes(
  claims: Readonly<Record<string, unknown>>,
  sources: readonly ScopeClaim[],
): readonly string[] {
  const scopes: string[] = [];
  for (const name of sources) {
    for (const scope of scopesOfClaim(claims[name])) {
      if (!scopes.includes(scope)) scopes.push(scope);
    }
  }

  return Object.freeze(scopes);
}
