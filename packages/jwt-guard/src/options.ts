/**
 * The options of `requireAuth` and their normalisation: validated once,
 * synchronously, into a frozen and fully defaulted config, so that a
 * misconfigured application fails at startup.
 */

import type { JWTPayload } from 'jose';

import {
  configError,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  requireString,
  optionalAuditBus,
  optionalLogger,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';

import { isAsymmetricAlgorithm } from './algorithms.js';

const PACKAGE_NAME = '@portcullis/jwt-guard';
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_MAX_TOKEN_BYTES = 8192;
const MAX_SAFE_CLOCK_TOLERANCE_SECONDS = 300;

const KNOWN_OPTIONS = [
  'issuer',
  'audience',
  'jwksUri',
  'algorithms',
  'clockToleranceSeconds',
  'maxTokenBytes',
  'requiredType',
  'isRevoked',
  'audit',
  'logger',
] as const;

// Frequent misspellings, answered with the option that was meant.
const LIKELY_TYPOS: Readonly<Record<string, string>> = {
  audiance: 'audience',
  aud: 'audience',
  iss: 'issuer',
  jwksUrl: 'jwksUri',
  jwks_uri: 'jwksUri',
  algorithm: 'algorithms',
  clockTolerance: 'clockToleranceSeconds',
};

/** Options of `requireAuth`. */
export interface RequireAuthOptions {
  /**
   * Required. The expected `iss` claim, compared as an exact string. Must be
   * https, or http on a loopback host.
   */
  issuer: string;
  /** Required. The accepted `aud` value, or several of them. */
  audience: string | readonly string[];
  /**
   * Required. URL of the issuer's JSON Web Key Set. Must be https, or http
   * on a loopback host.
   */
  jwksUri: string;
  /**
   * Required. Non-empty allowlist of accepted `alg` values, asymmetric only:
   * RS256/384/512, PS256/384/512, ES256/384/512 or EdDSA.
   */
  algorithms: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default: 5. */
  clockToleranceSeconds?: number;
  /** Largest accepted token, in bytes. Default: 8192. */
  maxTokenBytes?: number;
  /**
   * The `typ` header every token must carry, such as `at+jwt` for RFC 9068
   * access tokens (compared without an `application/` prefix, ignoring
   * case). Default: not checked, because many IdPs send `JWT` (LIM-001).
   */
  requiredType?: string;
  /**
   * Deny-list check on the verified claims. `true` rejects the token with
   * 401; a throw or a rejection fails closed with 503. Default: none.
   */
  isRevoked?: (claims: JWTPayload) => boolean | Promise<boolean>;
  /** Receives a `token.rejected` event per rejected token. Default: none. */
  audit?: AuditBus;
  /** Receives diagnostics; never a token. Default: silent. */
  logger?: Logger;
}

/** The normalised, frozen options. */
export interface GuardConfig {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly jwksUrl: URL;
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenBytes: number;
  readonly requiredType: string | undefined;
  readonly isRevoked:
    ((claims: JWTPayload) => boolean | Promise<boolean>) | undefined;
  readonly audit: AuditBus | undefined;
  readonly logger: Logger;
}

function checkKnownKeys(options: object): void {
  for (const key of Object.keys(options)) {
    const meant = LIKELY_TYPOS[key];
    if (meant !== undefined) {
      throw configError(PACKAGE_NAME, key, `is not known; use "${meant}"`);
    }
  }

  rejectUnknownKeys(PACKAGE_NAME, options, KNOWN_OPTIONS);
}

function checkAudience(value: unknown): string | readonly string[] {
  if (typeof value === 'string') {
    return requireString(PACKAGE_NAME, 'audience', value);
  }

  if (!Array.isArray(value) || value.length === 0) {
    throw configError(
      PACKAGE_NAME,
      'audience',
      'is required: expected a non-empty string or array of strings',
    );
  }

  value.forEach((entry, index) => {
    requireString(PACKAGE_NAME, `audience[${index}]`, entry);
  });
  return Object.freeze([...(value as string[])]);
}

function checkAlgorithms(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(
      PACKAGE_NAME,
      'algorithms',
      'is required: expected a non-empty array such as ["ES256"]',
    );
  }

  value.forEach((entry: unknown, index) => {
    if (isAsymmetricAlgorithm(entry)) return;
    const path = `algorithms[${index}]`;
    if (entry === 'none' || (typeof entry === 'string' && /^HS/i.test(entry))) {
      throw configError(
        PACKAGE_NAME,
        path,
        `must not be "${entry}": only asymmetric algorithms are accepted`,
      );
    }

    throw configError(PACKAGE_NAME, path, 'is not a supported algorithm');
  });
  return Object.freeze([...new Set(value as string[])]);
}

function checkClockTolerance(value: unknown): number {
  if (value === undefined) return DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return value;
  }

  throw configError(
    PACKAGE_NAME,
    'clockToleranceSeconds',
    'must be a non-negative integer (seconds)',
  );
}

function checkRequiredType(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^[\w.+-]+(\/[\w.+-]+)?$/.test(value)) {
    return value;
  }

  throw configError(
    PACKAGE_NAME,
    'requiredType',
    'must be a media type such as "at+jwt"',
  );
}

function checkOptionalFunction<T>(path: string, value: unknown): T | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as T | undefined;
  }

  throw configError(PACKAGE_NAME, path, 'must be a function');
}

/**
 * Validates `options` and returns the frozen config.
 *
 * @throws TypeError naming the option when one is missing, unknown or unsafe.
 */
export function normalizeOptions(options: unknown): GuardConfig {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE_NAME, 'options', 'must be an object');
  }

  checkKnownKeys(options);
  const input = options as Record<string, unknown>;
  parseSecureUrl(PACKAGE_NAME, 'issuer', input.issuer);

  return Object.freeze({
    // The `iss` claim is compared with the string as given, not with the
    // normalised URL, so that a trailing slash is never added or removed.
    issuer: input.issuer as string,
    audience: checkAudience(input.audience),
    jwksUrl: parseSecureUrl(PACKAGE_NAME, 'jwksUri', input.jwksUri),
    algorithms: checkAlgorithms(input.algorithms),
    clockToleranceSeconds: checkClockTolerance(input.clockToleranceSeconds),
    maxTokenBytes: positiveInteger(
      PACKAGE_NAME,
      'maxTokenBytes',
      input.maxTokenBytes,
      DEFAULT_MAX_TOKEN_BYTES,
    ),
    requiredType: checkRequiredType(input.requiredType),
    isRevoked: checkOptionalFunction<GuardConfig['isRevoked']>(
      'isRevoked',
      input.isRevoked,
    ),
    audit: optionalAuditBus(PACKAGE_NAME, input.audit),
    logger: optionalLogger(PACKAGE_NAME, input.logger),
  });
}

/**
 * Logs one warning per setting that is allowed but risky: plain http to a
 * loopback issuer or JWKS, and a clock tolerance over five minutes.
 */
export function warnAboutRiskyOptions(config: GuardConfig): void {
  if (
    config.jwksUrl.protocol === 'http:' ||
    config.issuer.startsWith('http:')
  ) {
    config.logger.warn('issuer or JWKS uses plain http; use it only locally', {
      issuer: config.issuer,
    });
  }

  if (config.clockToleranceSeconds > MAX_SAFE_CLOCK_TOLERANCE_SECONDS) {
    config.logger.warn('clock tolerance is unusually large', {
      clockToleranceSeconds: config.clockToleranceSeconds,
    });
  }
}
