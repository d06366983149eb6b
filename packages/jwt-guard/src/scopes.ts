/**
 * Reads the granted scopes from the `scope` claim: a space-separated list
 * (RFC 9068 section 2.2.3, RFC 8693 section 4.2).
 */

/**
 * Returns the scopes of a `scope` claim value, without duplicates. A claim
 * that is absent or not a string grants no scope.
 */
export function parseScopes(claim: unknown): readonly string[] {
  if (typeof claim !== 'string') return Object.freeze([]);

  const scopes = claim.split(' ').filter((scope) => scope.length > 0);
  return Object.freeze([...new Set(scopes)]);
}
