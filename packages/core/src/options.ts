/**
 * Helpers for option validation. Every factory validates its options once,
 * synchronously, and throws a TypeError whose message names the package and
 * the option path, so a misconfigured application fails at startup.
 */

import type { AuditBus } from './audit.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Builds the TypeError for a bad option. Never pass a secret's value in
 * `expected`; describe the secret instead.
 */
export function configError(
  packageName: string,
  path: string,
  expected: string,
): TypeError {
  return new TypeError(`${packageName}: option "${path}" ${expected}`);
}

/** True for http(s) URLs whose host is a loopback name or address. */
export function isLoopbackUrl(url: URL): boolean {
  return (
    LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost')
  );
}

/**
 * Parses an issuer-like URL option: it must be an absolute https URL, or
 * http on a loopback host for local development.
 *
 * @throws TypeError naming the option when the value is missing or unsafe.
 */
export function parseSecureUrl(
  packageName: string,
  path: string,
  value: unknown,
): URL {
  if (typeof value !== 'string' || value.length === 0) {
    throw configError(packageName, path, 'is required: expected a URL string');
  }

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(packageName, path, 'is not an absolute URL');
  }

  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackUrl(url)) return url;
  throw configError(
    packageName,
    path,
    'must use https (plain http is allowed only on loopback hosts)',
  );
}

/**
 * Checks a required non-empty string option.
 *
 * @throws TypeError naming the option when the value is missing or empty.
 */
export function requireString(
  packageName: string,
  path: string,
  value: unknown,
): string {
  if (typeof value !== 'string' || value.length === 0) {
    const found = typeof value === 'string' ? 'an empty string' : typeof value;
    throw configError(
      packageName,
      path,
      `is required: expected a non-empty string, got ${found}`,
    );
  }

  return value;
}

/**
 * Checks an optional positive integer option (a duration or a size).
 *
 * @throws TypeError naming the option when the value is not such a number.
 */
export function positiveInteger(
  packageName: string,
  path: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    return value;
  }

  throw configError(packageName, path, 'must be a positive integer');
}

/**
 * Refuses keys that an options type does not declare, catching typos such
 * as `audiance` at startup.
 *
 * @throws TypeError naming the first unknown option.
 */
export function rejectUnknownKeys(
  packageName: string,
  options: object,
  known: readonly string[],
  prefix = '',
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw configError(
        packageName,
        `${prefix}${key}`,
        'is not a known option',
      );
    }
  }
}

/**
 * Checks an optional `audit` option: undefined, or an object with `emit`.
 *
 * @throws TypeError when the value is something else.
 */
export function optionalAuditBus(
  packageName: string,
  value: unknown,
): AuditBus | undefined {
  if (value === undefined) return undefined;
  if (typeof (value as Partial<AuditBus> | null)?.emit === 'function') {
    return value as AuditBus;
  }

  throw configError(packageName, 'audit', 'must be an AuditBus');
}

/**
 * Checks an optional `logger` option; undefined gives the silent logger.
 *
 * @throws TypeError when the value lacks one of the four methods.
 */
export function optionalLogger(packageName: string, value: unknown): Logger {
  if (value === undefined) return silentLogger;
  const logger = value as Partial<Logger> | null;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (methods.every((name) => typeof logger?.[name] === 'function')) {
    return value as Logger;
  }

  throw configError(
    packageName,
    'logger',
    'must have debug, info, warn and error methods',
  );
}
