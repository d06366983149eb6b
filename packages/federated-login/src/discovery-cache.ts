/**
 * OIDC Discovery 1.0 for one provider, cached: fresh for `ttlMs`, then
 * refreshed on next use; when the refresh fails, the last good metadata is
 * used (stale-if-error). After a network failure of any later call it is
 * marked for refresh, so a restarted IdP (new keys) is picked up.
 */

import * as client from 'openid-client';

/** What discovery needs to know about a provider. */
export interface DiscoveryTarget {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Plain http is allowed, for a loopback development issuer. */
  insecure: boolean;
}

/** A provider's cached discovery. */
export interface DiscoveryCache {
  /** The configuration; discovers when absent or stale. */
  get(now: number): Promise<client.Configuration>;
  /** Forces a refresh on the next `get`, keeping the stale copy. */
  markStale(): void;
}

/** Creates the cache; nothing is fetched until the first `get`. */
export function createDiscoveryCache(
  target: DiscoveryTarget,
  settings: {
    ttlMs: number;
    timeoutMs: number;
    /** Told whether each network refresh worked. */
    onRefresh?: (ok: boolean) => void;
  },
): DiscoveryCache {
  let cached: client.Configuration | undefined;
  let freshUntil = 0;
  let pending: Promise<client.Configuration> | undefined;

  function discover(now: number): Promise<client.Configuration> {
    return client
      .discovery(
        target.issuer,
        target.clientId,
        { client_secret: target.clientSecret },
        client.ClientSecretBasic(target.clientSecret),
        {
          execute: target.insecure ? [client.allowInsecureRequests] : [],
          // openid-client takes seconds; every later call inherits it.
          timeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
        },
      )
      .then(
        (config) => {
          cached = config;
          freshUntil = now + settings.ttlMs;
          settings.onRefresh?.(true);
          return config;
        },
        (error: unknown) => {
          settings.onRefresh?.(false);
          throw error;
        },
      );
  }

  return {
    get(now) {
      if (cached !== undefined && now < freshUntil) {
        return Promise.resolve(cached);
      }

      pending ??= discover(now)
        .catch((error: unknown) => {
          if (cached !== undefined) return cached;
          throw error;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    markStale() {
      freshUntil = 0;
    },
  };
}
