/**
 * A remote JWKS (RFC 7517 section 5) kept in memory for one issuer, with
 * the resilience a resource server needs:
 *
 * - one fetch at a time: concurrent requests share it;
 * - an unknown `kid` refetches at most once per cooldown window, so forged
 *   kids cannot flood the issuer;
 * - a set older than its maximum age is served while a background refresh
 *   runs;
 * - while the endpoint fails, the last good set keeps serving until the
 *   stale ceiling, after which requests fail with 503 (stale-if-error);
 * - a key removed from the set stops verifying after the next refresh.
 */

import type { KeyObject } from 'node:crypto';

import type { Logger } from '@portcullis/core';

import { GuardUnavailableError } from './errors.js';
import { fetchJson } from './fetch-json.js';
import type { KeySource } from './key-source.js';
import { importKeySet, lookupFailure, lookupKey } from './key-set.js';
import type { KeySet } from './key-set.js';

/** Timing and wiring of a remote key source. */
export interface RemoteKeySourceOptions {
  /** Resolves the JWKS URL (fixed, or found through discovery). */
  readonly resolveUrl: () => Promise<URL>;
  /** Age after which the set is refreshed, in milliseconds. */
  readonly maxAgeMs: number;
  /** Least time between two fetches not forced by age, in milliseconds. */
  readonly cooldownMs: number;
  /** Age of the last good set after which it is no longer served. */
  readonly staleCeilingMs: number;
  /** Timeout of one fetch, in milliseconds. */
  readonly timeoutMs: number;
  /** Interval of the background refresh timer; 0 for none. */
  readonly refreshIntervalMs: number;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly issuer: string;
}

/** Creates the key source of one issuer over a remote JWKS. */
export function createRemoteKeySource(
  options: RemoteKeySourceOptions,
): KeySource {
  const { clock, logger } = options;
  let current: KeySet | undefined;
  let lastSuccessMs = 0;
  let lastAttemptMs = Number.NEGATIVE_INFINITY;
  let lastKidRefetchMs = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<KeySet> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function fetchSet(): Promise<KeySet> {
    const url = await options.resolveUrl();
    return importKeySet(await fetchJson(url, options.timeoutMs));
  }

  // One fetch at a time; every caller waiting meanwhile shares its result.
  function refresh(): Promise<KeySet> {
    if (inFlight !== undefined) return inFlight;
    lastAttemptMs = clock();
    inFlight = fetchSet()
      .then((set) => {
        current = set;
        lastSuccessMs = clock();
        return set;
      })
      .catch((error: unknown) => {
        logger.warn('JWKS refresh failed', { issuer: options.issuer });
        throw new GuardUnavailableError('JWT_GUARD_KEYS_UNAVAILABLE', error);
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function coolingDown(): boolean {
    return clock() - lastAttemptMs < options.cooldownMs;
  }

  function refreshInBackground(): void {
    if (inFlight !== undefined || coolingDown()) return;
    refresh().catch(() => undefined);
  }

  async function usableSet(): Promise<KeySet> {
    if (inFlight !== undefined && current === undefined) return inFlight;
    const age = clock() - lastSuccessMs;
    if (current !== undefined && age < options.maxAgeMs) return current;
    if (current !== undefined && age < options.staleCeilingMs) {
      refreshInBackground();
      return current;
    }

    // No set, or one past the stale ceiling: a fetch must succeed first.
    if (coolingDown()) {
      throw new GuardUnavailableError('JWT_GUARD_KEYS_UNAVAILABLE');
    }

    return refresh();
  }

  async function selectKey(
    kid: string | undefined,
    alg: string,
  ): Promise<KeyObject> {
    const set = await usableSet();
    const lookup = lookupKey(set, kid, alg);
    if ('found' in lookup) return lookup.found;
    if (lookup.missing !== 'kid') throw lookupFailure(lookup.missing);

    // An unknown kid may be a rotated-in key: refetch, at most once per
    // cooldown window; callers meanwhile share the fetch in flight.
    if (inFlight === undefined) {
      if (clock() - lastKidRefetchMs < options.cooldownMs) {
        throw lookupFailure('kid');
      }

      lastKidRefetchMs = clock();
    }

    const fresh = await refresh();
    const retry = lookupKey(fresh, kid, alg);
    if ('found' in retry) return retry.found;
    throw lookupFailure(retry.missing);
  }

  if (options.refreshIntervalMs > 0) {
    timer = setInterval(() => {
      refresh().catch(() => undefined);
    }, options.refreshIntervalMs);
    timer.unref();
  }

  return {
    selectKey,
    freshSet() {
      if (current === undefined) return undefined;
      return clock() - lastSuccessMs < options.maxAgeMs ? current : undefined;
    },
    async preload() {
      await refresh();
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
