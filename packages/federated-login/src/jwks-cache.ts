/**
 * The provider's JSON Web Key Set for logout tokens, fetched from the
 * discovered `jwks_uri` within the IdP timeout, cached for minutes, and
 * refreshed on an unknown key id at most once per cooldown, so that junk
 * tokens cannot make the app hammer the IdP.
 */

import type { JsonWebKey } from 'node:crypto';

const JWKS_TTL_MS = 5 * 60_000;
const REFRESH_COOLDOWN_MS = 30_000;

/** Returns the keys; `refresh` asks for a fresh copy if allowed. */
export type JwksSource = (refresh: boolean) => Promise<readonly JsonWebKey[]>;

/** Creates a cached JWKS source for one `jwks_uri`. */
export function createJwksSource(
  jwksUri: () => Promise<string>,
  settings: { timeoutMs: number; clock: () => number },
): JwksSource {
  let keys: readonly JsonWebKey[] | undefined;
  let fetchedAt = 0;

  async function load(): Promise<readonly JsonWebKey[]> {
    const response = await fetch(await jwksUri(), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error('JWKS without keys');
    keys = body.keys as JsonWebKey[];
    fetchedAt = settings.clock();
    return keys;
  }

  return async function jwks(refresh) {
    const age = settings.clock() - fetchedAt;
    if (keys === undefined || age >= JWKS_TTL_MS) return load();
    if (refresh && age >= REFRESH_COOLDOWN_MS) return load();
    return keys;
  };
}
