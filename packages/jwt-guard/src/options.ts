/**
 * The options of `createVerifier` and `requireAuth` and their
 * normalisation: validated once, synchronously, into a frozen and fully
 * defaulted config, so that a misconfigured application fails at startup.
 */

import {
  configError,
  optionalAuditBus,
  optionalLogger,
  positiveInteger,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';

import { checkDpop } from './dpop.js';
import type { DpopConfig, DpopOptions } from './dpop.js';
import { checkIntrospection } from './introspection.js';
import type {
  IntrospectionConfig,
  IntrospectionOptions,
} from './introspection.js';
import type {
  DenyListOptions,
  RevocationCheck,
  ScopeClaim,
} from './claim-options.js';
import {
  checkClaimRules,
  checkDenyList,
  checkFunction,
} from './claim-options.js';
import type { ClaimRuleSet } from './claim-options.js';
import { checkIssuers, issuerMap, issuerRules } from './issuer-list.js';
import { ISSUER_KEYS } from './issuer-options.js';
import type { IssuerConfig, IssuerOptions } from './issuer-options.js';
import { checkTimings, TIMING_KEYS } from './timing-options.js';
import type { JwksTimings, JwksTimingOptions } from './timing-options.js';

import {
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_CACHE_MAX_ENTRIES,
} from './token-cache.js';
import type { TokenCacheOptions } from './token-cache.js';
import { SIGNATURE_THREADS } from './signature-thread.js';
import type { SignatureThread } from './signature-thread.js';
const PACKAGE_NAME = '@portcullis/jwt-guard';
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_MAX_TOKEN_BYTES = 8192;
const MAX_SAFE_CLOCK_TOLERANCE_SECONDS = 300;

export type {
  DenyListOptions,
  RevocationCheck,
  ScopeClaim,
} from './claim-options.js';

/** Options of `createVerifier` (and of `requireAuth`, which adds more). */
export interface VerifierOptions extends JwksTimingOptions {
  /** The exact `iss` of a single trusted issuer (or use `issuers`). */
  issuer?: string;
  /** URL of that issuer's JWKS. https, or http on loopback. */
  jwksUri?: string;
  /** That issuer's JWKS given inline. */
  jwks?: IssuerOptions['jwks'];
  /** Find that issuer's JWKS through discovery. Default: false. */
  discovery?: boolean;
  /** That issuer's HMAC secret (32 bytes or more; HS* only). */
  secret?: string | Uint8Array;
  /** Several trusted issuers, each with its own keys. */
  issuers?: readonly IssuerOptions[];
  /** Required (here or per issuer). Accepted audience value(s). */
  audience?: string | readonly string[];
  /** The claim compared with `audience`. Default: `aud`. */
  audienceClaim?: 'aud' | 'client_id';
  /** Required (here or per issuer). Allowlist of `alg` values. */
  algorithms?: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default: 5. */
  clockToleranceSeconds?: number;
  /** Oldest accepted `iat`, in seconds; requires `iat`. Default: none. */
  maxTokenAgeSeconds?: number;
  /** Largest accepted token, in bytes. Default: 8192. */
  maxTokenBytes?: number;
  /**
   * The verified-token cache (see token-cache.ts): `false` turns it off;
   * bounds default to 10000 tokens and 16 MiB. Default: on.
   */
  tokenCache?: false | TokenCacheOptions;
  /**
   * Where a signature is checked: `event-loop` (synchronous node:crypto),
   * `thread-pool` (node:crypto's callback form on libuv's thread pool),
   * `worker` (one signature worker thread per process, see
   * signature-worker.ts), or `auto`: the fastest for each algorithm, as
   * measured by the benchmark (see signature-thread.ts). HMAC always runs
   * on the event loop. Default: `auto`.
   */
  signatureThread?: SignatureThread;
  /** Required `typ` header, such as `at+jwt`. Default: not checked. */
  requiredType?: string;
  /** `rfc9068`: `typ` at+jwt and the RFC 9068 claims. Default: none. */
  profile?: 'rfc9068';
  /** Claims that must be present. Default: none beyond `exp`. */
  requiredClaims?: readonly string[];
  /** Claims that must equal a value (or one of several). Default: none. */
  claimValues?: Readonly<Record<string, unknown>>;
  /** Claims read for scopes, in order. Default: `['scope']`. */
  scopeClaims?: readonly ScopeClaim[];
  /** Deny-list hook: `true` refuses (401), a throw fails closed (503). */
  isRevoked?: RevocationCheck;
  /** Deny-list store read by `jti` or `sid`; a failure answers 503. */
  denyList?: DenyListOptions;
  /** Adds the reason code to wire descriptions. Default: false. */
  debugReasons?: boolean;
  /** RFC 7662 introspection of opaque (non-JWS) tokens. Default: none. */
  introspection?: IntrospectionOptions;
  /** Accept DPoP-bound tokens (RFC 9449). Default: off. */
  dpop?: DpopOptions;
  /** Receives an event per outcome. Default: none. */
  audit?: AuditBus;
  /** Receives diagnostics; never a token. Default: silent. */
  logger?: Logger;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  clock?: () => number;
}

/** The normalised, frozen options. */
export interface GuardConfig {
  readonly issuers: ReadonlyMap<string, IssuerConfig>;
  readonly audienceClaim: 'aud' | 'client_id';
  /** The claim rules of each issuer, by exact `iss`. */
  readonly rules: ReadonlyMap<string, ClaimRuleSet>;
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds: number | undefined;
  readonly maxTokenBytes: number;
  readonly tokenCache: Required<TokenCacheOptions> | undefined;
  readonly signatureThread: SignatureThread;
  readonly requiredType: string | undefined;
  readonly requiredClaims: readonly string[];
  readonly claimValues: Readonly<Record<string, readonly unknown[]>>;
  readonly scopeClaims: readonly ScopeClaim[];
  readonly isRevoked: RevocationCheck | undefined;
  readonly denyList: Required<DenyListOptions> | undefined;
  readonly debugReasons: boolean;
  readonly introspection: IntrospectionConfig | undefined;
  readonly dpop: DpopConfig | undefined;
  readonly jwks: JwksTimings;
  readonly audit: AuditBus | undefined;
  readonly logger: Logger;
  readonly clock: () => number;
}

/** Top-level option names of `createVerifier`. */
export const VERIFIER_KEYS: readonly string[] = [
  ...ISSUER_KEYS,
  ...TIMING_KEYS,
  'issuers',
  'audienceClaim',
  'clockToleranceSeconds',
  'maxTokenAgeSeconds',
  'maxTokenBytes',
  'tokenCache',
  'signatureThread',
  'requiredType',
  'profile',
  'requiredClaims',
  'claimValues',
  'scopeClaims',
  'isRevoked',
  'denyList',
  'debugReasons',
  'introspection',
  'dpop',
  'audit',
  'logger',
  'clock',
];

// Frequent misspellings, answered with the option that was meant.
const LIKELY_TYPOS: Readonly<Record<string, string>> = {
  audiance: 'audience',
  aud: 'audience',
  iss: 'issuer',
  jwksUrl: 'jwksUri',
  jwks_uri: 'jwksUri',
  algorithm: 'algorithms',
  clockTolerance: 'clockToleranceSeconds',
  scopes: 'scopeClaims',
};

function fail(path: string, expected: string): never {
  throw configError(PACKAGE_NAME, path, expected);
}

function checkKnownKeys(options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    const meant = LIKELY_TYPOS[key];
    if (meant !== undefined) fail(key, `is not known; use "${meant}"`);
  }

  rejectUnknownKeys(PACKAGE_NAME, options, known);
}

function nonNegativeInteger(path: string, value: unknown, fallback: number) {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return value;
  }

  return fail(path, 'must be a non-negative integer (seconds)');
}

function checkSignatureThread(value: unknown): SignatureThread {
  if (value === undefined) return 'auto';
  if (SIGNATURE_THREADS.includes(value as SignatureThread)) {
    return value as SignatureThread;
  }

  throw configError(
    PACKAGE_NAME,
    'signatureThread',
    `must be one of ${SIGNATURE_THREADS.join(', ')}`,
  );
}

function checkTokenCache(
  value: unknown,
): Required<TokenCacheOptions> | undefined {
  if (value === false) return undefined;
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw configError(PACKAGE_NAME, 'tokenCache', 'must be false or an object');
  }

  const input = (value ?? {}) as TokenCacheOptions;
  rejectUnknownKeys(
    PACKAGE_NAME,
    input,
    ['maxEntries', 'maxBytes'],
    'tokenCache.',
  );
  return {
    maxEntries: positiveInteger(
      PACKAGE_NAME,
      'tokenCache.maxEntries',
      input.maxEntries,
      DEFAULT_CACHE_MAX_ENTRIES,
    ),
    maxBytes: positiveInteger(
      PACKAGE_NAME,
      'tokenCache.maxBytes',
      input.maxBytes,
      DEFAULT_CACHE_MAX_BYTES,
    ),
  };
}

/**
 * Validates `options` and returns the frozen config. `extraKeys` names the
 * options a caller layer (such as the middleware) handles itself.
 *
 * @throws TypeError naming the option when one is missing, unknown or unsafe.
 */
export function normalizeOptions(
  options: unknown,
  extraKeys: readonly string[] = [],
): GuardConfig {
  if (typeof options !== 'object' || options === null) {
    fail('options', 'must be an object');
  }

  checkKnownKeys(options, [...VERIFIER_KEYS, ...extraKeys]);
  const input = options as Record<string, unknown>;
  const issuers = issuerMap(checkIssuers(input));
  const top = checkClaimRules(input);
  const introspection = checkIntrospection(input.introspection);
  if (introspection !== undefined && !issuers.has(introspection.issuer)) {
    fail('introspection.issuer', 'must be one of the trusted issuers');
  }

  return Object.freeze({
    issuers,
    introspection,
    dpop: checkDpop(input.dpop),
    ...top,
    rules: issuerRules(input, top),
    clockToleranceSeconds: nonNegativeInteger(
      'clockToleranceSeconds',
      input.clockToleranceSeconds,
      DEFAULT_CLOCK_TOLERANCE_SECONDS,
    ),
    maxTokenAgeSeconds:
      input.maxTokenAgeSeconds === undefined
        ? undefined
        : positiveInteger(
            PACKAGE_NAME,
            'maxTokenAgeSeconds',
            input.maxTokenAgeSeconds,
            1,
          ),
    maxTokenBytes: positiveInteger(
      PACKAGE_NAME,
      'maxTokenBytes',
      input.maxTokenBytes,
      DEFAULT_MAX_TOKEN_BYTES,
    ),
    tokenCache: checkTokenCache(input.tokenCache),
    signatureThread: checkSignatureThread(input.signatureThread),
    isRevoked: checkFunction<RevocationCheck>('isRevoked', input.isRevoked),
    denyList: checkDenyList(input.denyList),
    debugReasons: input.debugReasons === true,
    jwks: checkTimings(input),
    audit: optionalAuditBus(PACKAGE_NAME, input.audit),
    logger: optionalLogger(PACKAGE_NAME, input.logger),
    clock: checkFunction<() => number>('clock', input.clock) ?? Date.now,
  });
}

/**
 * Logs one warning per setting that is allowed but risky: plain http to an
 * issuer or JWKS, a clock tolerance over five minutes, and reason codes on
 * the wire.
 */
export function warnAboutRiskyOptions(config: GuardConfig): void {
  for (const entry of config.issuers.values()) {
    const url = entry.keys.kind === 'uri' ? entry.keys.url.protocol : '';
    if (url === 'http:' || entry.issuer.startsWith('http:')) {
      config.logger.warn(
        'issuer or JWKS uses plain http; use it only locally',
        { issuer: entry.issuer },
      );
    }
  }

  if (config.clockToleranceSeconds > MAX_SAFE_CLOCK_TOLERANCE_SECONDS) {
    config.logger.warn('clock tolerance is unusually large', {
      clockToleranceSeconds: config.clockToleranceSeconds,
    });
  }

  if (config.debugReasons) {
    config.logger.warn('debugReasons is on: responses name the failed check');
  }
}
