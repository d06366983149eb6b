/**
 * Option validation for createFederatedLogin: run once at startup so that a
 * misconfigured provider fails before the first user tries to sign in.
 */

import {
  configError,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  optionalAuditBus,
  optionalLogger,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type { Request } from 'express';

import { createMemoryReplayCache } from './backchannel-logout.js';
import type {
  BackchannelLogoutEvent,
  LogoutReplayCache,
} from './backchannel-logout.js';
import { optionalFunction, resolveProvider } from './provider-options.js';
import type { ResolvedProvider } from './provider-options.js';
import type { FederatedProfile } from './profile.js';
import type { ProviderConfig } from './providers.js';

const PACKAGE = '@portcullis/federated-login';
const DEFAULT_SUCCESS_REDIRECT = '/';
const DEFAULT_TRANSACTION_TTL_SECONDS = 5 * 60;
const DEFAULT_MAX_PENDING_LOGINS = 5;
const DEFAULT_IDP_TIMEOUT_MS = 10_000;
const DEFAULT_DISCOVERY_TTL_SECONDS = 60 * 60;
const DEFAULT_BREAKER_FAILURE_THRESHOLD = 3;
const DEFAULT_BREAKER_COOLDOWN_SECONDS = 30;
const SAFE_PATH = /^\/(?![/\\])/;

/**
 * Decides who a verified profile is in the application. Return a
 * JSON-serialisable user to sign in, `false` to refuse the login, or throw
 * `refuseLogin(reason)` to refuse it with a reason shown to the user.
 */
export type ResolveUser = (
  profile: FederatedProfile,
  req: Request,
) => unknown | Promise<unknown>;

/** Options of {@link createFederatedLogin}. */
export interface FederatedLoginOptions {
  /**
   * The application's public base URL, such as `https://app.example`;
   * callbacks are `<baseUrl>/login/<name>/callback`. Required.
   */
  baseUrl: string;
  /** The providers; at least one, with distinct names. Required. */
  providers: ProviderConfig[];
  /** Maps a verified profile to the application's user. Required. */
  resolveUser: ResolveUser;
  /**
   * Where a signed-in user is sent when the login carried no acceptable
   * `returnTo`: a path starting with one `/`. Default: `/`.
   */
  successRedirect?: string;
  /**
   * Where the IdP sends the user after RP-initiated logout: a path of this
   * app, made absolute with `baseUrl`; register it at the IdP as a
   * post_logout_redirect_uri. Default: `/`.
   */
  postLogoutRedirect?: string;
  /** Seconds a started login may take before it is refused. Default: 300. */
  transactionTtlSeconds?: number;
  /** Logins in progress kept per session (oldest dropped). Default: 5. */
  maxPendingLogins?: number;
  /** Milliseconds any single call to an IdP may take. Default: 10000. */
  idpTimeoutMs?: number;
  /** Seconds discovery metadata is used before a refresh. Default: 3600. */
  discoveryTtlSeconds?: number;
  /** Consecutive IdP failures that open the breaker. Default: 3. */
  breakerFailureThreshold?: number;
  /** Seconds an open breaker answers 503 without trying. Default: 30. */
  breakerCooldownSeconds?: number;
  /**
   * Serves `POST /login/<name>/backchannel-logout` for OpenID providers and
   * calls this with each valid logout token's issuer, `sub` and `sid`; the
   * application ends the matching sessions (LIM-002). Default: no
   * receiver.
   */
  onBackchannelLogout?: (event: BackchannelLogoutEvent) => void | Promise<void>;
  /**
   * Remembers logout token `jti`s against replay; share one across
   * instances. Default: in-process memory.
   */
  logoutReplayCache?: LogoutReplayCache;
  /** Milliseconds since the epoch, for tests. Default: `Date.now`. */
  clock?: () => number;
  /** Audit bus for login events. Default: none. */
  audit?: AuditBus;
  /** Diagnostics. Default: silent. */
  logger?: Logger;
}

export type { ResolvedProvider };

/** The normalised configuration. */
export interface FederatedLoginConfig {
  baseUrl: URL;
  postLogoutRedirectUrl: string;
  providers: ReadonlyMap<string, ResolvedProvider>;
  resolveUser: ResolveUser;
  successRedirect: string;
  transactionTtlMs: number;
  maxPendingLogins: number;
  idpTimeoutMs: number;
  discoveryTtlMs: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
  clock: () => number;
  onBackchannelLogout:
    ((event: BackchannelLogoutEvent) => void | Promise<void>) | undefined;
  logoutReplayCache: LogoutReplayCache;
  audit: AuditBus | undefined;
  logger: Logger;
}

const KNOWN_OPTIONS = [
  'baseUrl',
  'providers',
  'resolveUser',
  'successRedirect',
  'postLogoutRedirect',
  'transactionTtlSeconds',
  'maxPendingLogins',
  'idpTimeoutMs',
  'discoveryTtlSeconds',
  'breakerFailureThreshold',
  'breakerCooldownSeconds',
  'clock',
  'onBackchannelLogout',
  'logoutReplayCache',
  'audit',
  'logger',
];
function replayCacheOption(
  value: LogoutReplayCache | undefined,
  clock: () => number,
): LogoutReplayCache {
  if (value === undefined) return createMemoryReplayCache(clock);
  if (typeof value?.markIfAbsent !== 'function') {
    throw configError(
      PACKAGE,
      'logoutReplayCache',
      'must have a markIfAbsent(key, ttlSeconds) method',
    );
  }
  return value;
}

function seconds(path: string, value: unknown, fallback: number): number {
  return positiveInteger(PACKAGE, path, value, fallback) * 1000;
}

/**
 * Validates and defaults the options.
 *
 * @throws TypeError naming the first bad option.
 */
export function normalizeOptions(
  options: FederatedLoginOptions,
): FederatedLoginConfig {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'options', 'must be an object');
  }
  rejectUnknownKeys(PACKAGE, options, KNOWN_OPTIONS);

  const baseUrl = parseSecureUrl(PACKAGE, 'baseUrl', options.baseUrl);
  if (!Array.isArray(options.providers) || options.providers.length === 0) {
    throw configError(PACKAGE, 'providers', 'must list at least one provider');
  }
  if (typeof options.resolveUser !== 'function') {
    throw configError(
      PACKAGE,
      'resolveUser',
      'is required: expected a function',
    );
  }

  const providers = new Map<string, ResolvedProvider>();
  options.providers.forEach((provider, index) => {
    const resolved = resolveProvider(provider, `providers[${index}]`, baseUrl);
    if (providers.has(resolved.name)) {
      throw configError(PACKAGE, `providers[${index}].name`, 'is used twice');
    }
    providers.set(resolved.name, resolved);
  });

  const successRedirect = options.successRedirect ?? DEFAULT_SUCCESS_REDIRECT;
  if (typeof successRedirect !== 'string' || !SAFE_PATH.test(successRedirect)) {
    throw configError(
      PACKAGE,
      'successRedirect',
      'must be a path starting with one /',
    );
  }

  const postLogoutRedirect = options.postLogoutRedirect ?? '/';
  if (
    typeof postLogoutRedirect !== 'string' ||
    !SAFE_PATH.test(postLogoutRedirect)
  ) {
    throw configError(
      PACKAGE,
      'postLogoutRedirect',
      'must be a path starting with one /',
    );
  }

  const clock = optionalFunction('clock', options.clock) ?? Date.now;
  return Object.freeze({
    baseUrl,
    postLogoutRedirectUrl: new URL(postLogoutRedirect, baseUrl).href,
    providers,
    resolveUser: options.resolveUser,
    successRedirect,
    transactionTtlMs: seconds(
      'transactionTtlSeconds',
      options.transactionTtlSeconds,
      DEFAULT_TRANSACTION_TTL_SECONDS,
    ),
    maxPendingLogins: positiveInteger(
      PACKAGE,
      'maxPendingLogins',
      options.maxPendingLogins,
      DEFAULT_MAX_PENDING_LOGINS,
    ),
    idpTimeoutMs: positiveInteger(
      PACKAGE,
      'idpTimeoutMs',
      options.idpTimeoutMs,
      DEFAULT_IDP_TIMEOUT_MS,
    ),
    discoveryTtlMs: seconds(
      'discoveryTtlSeconds',
      options.discoveryTtlSeconds,
      DEFAULT_DISCOVERY_TTL_SECONDS,
    ),
    breakerFailureThreshold: positiveInteger(
      PACKAGE,
      'breakerFailureThreshold',
      options.breakerFailureThreshold,
      DEFAULT_BREAKER_FAILURE_THRESHOLD,
    ),
    breakerCooldownMs: seconds(
      'breakerCooldownSeconds',
      options.breakerCooldownSeconds,
      DEFAULT_BREAKER_COOLDOWN_SECONDS,
    ),
    clock,
    onBackchannelLogout: optionalFunction(
      'onBackchannelLogout',
      options.onBackchannelLogout,
    ),
    logoutReplayCache: replayCacheOption(options.logoutReplayCache, clock),
    audit: optionalAuditBus(PACKAGE, options.audit),
    logger: optionalLogger(PACKAGE, options.logger),
  });
}
