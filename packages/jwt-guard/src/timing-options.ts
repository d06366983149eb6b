/**
 * The JWKS cache timings (`jwks*` options) and their validation. Defaults
 * follow common IdP practice: keys published ahead of use, rotated over
 * hours, endpoints that answer within a second.
 */

import { configError } from '@portcullis/core';

const PACKAGE_NAME = '@portcullis/jwt-guard';
const DEFAULT_CACHE_SECONDS = 600;
const DEFAULT_COOLDOWN_SECONDS = 30;
const DEFAULT_STALE_SECONDS = 3600;
const DEFAULT_TIMEOUT_MS = 5000;

/** JWKS cache options shared by every remote issuer. */
export interface JwksTimingOptions {
  /** Age after which the JWKS is refreshed, in seconds. Default: 600. */
  jwksCacheSeconds?: number;
  /** Least time between two unforced fetches, in seconds. Default: 30. */
  jwksCooldownSeconds?: number;
  /**
   * Stale-if-error ceiling: how old the last good JWKS may get, in seconds,
   * while the endpoint fails; then 503. At least `jwksCacheSeconds`.
   * Default: 3600.
   */
  jwksStaleSeconds?: number;
  /** Timeout of one JWKS or discovery fetch, in ms. Default: 5000. */
  jwksTimeoutMs?: number;
  /** Background refresh interval in seconds; 0 for none. Default: 0. */
  jwksRefreshSeconds?: number;
}

/** The validated timings, in milliseconds. */
export interface JwksTimings {
  readonly maxAgeMs: number;
  readonly cooldownMs: number;
  readonly staleCeilingMs: number;
  readonly timeoutMs: number;
  readonly refreshIntervalMs: number;
}

/** Names of the timing options. */
export const TIMING_KEYS = [
  'jwksCacheSeconds',
  'jwksCooldownSeconds',
  'jwksStaleSeconds',
  'jwksTimeoutMs',
  'jwksRefreshSeconds',
] as const;

function count(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return value;
  }

  throw configError(PACKAGE_NAME, path, 'must be a non-negative integer');
}

/**
 * Validates the timing options of `input`.
 *
 * @throws TypeError naming the option when one is invalid.
 */
export function checkTimings(input: Record<string, unknown>): JwksTimings {
  const cache = count(
    'jwksCacheSeconds',
    input.jwksCacheSeconds,
    DEFAULT_CACHE_SECONDS,
  );
  const stale = count(
    'jwksStaleSeconds',
    input.jwksStaleSeconds,
    Math.max(DEFAULT_STALE_SECONDS, cache),
  );
  if (stale < cache) {
    throw configError(
      PACKAGE_NAME,
      'jwksStaleSeconds',
      'must be at least jwksCacheSeconds',
    );
  }

  const timeout = count(
    'jwksTimeoutMs',
    input.jwksTimeoutMs,
    DEFAULT_TIMEOUT_MS,
  );
  if (timeout === 0) {
    throw configError(PACKAGE_NAME, 'jwksTimeoutMs', 'must be positive');
  }

  return Object.freeze({
    maxAgeMs: cache * 1000,
    cooldownMs:
      count(
        'jwksCooldownSeconds',
        input.jwksCooldownSeconds,
        DEFAULT_COOLDOWN_SECONDS,
      ) * 1000,
    staleCeilingMs: stale * 1000,
    timeoutMs: timeout,
    refreshIntervalMs:
      count('jwksRefreshSeconds', input.jwksRefreshSeconds, 0) * 1000,
  });
}
