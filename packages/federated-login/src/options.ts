/**
 * Option validation for createFederatedLogin: run once at startup so that a
 * misconfigured provider fails before the first user tries to sign in.
 */

import {
  configError,
  isLoopbackUrl,
  parseSecureUrl,
  positiveInteger,
  rejectUnknownKeys,
  optionalAuditBus,
  optionalLogger,
  requireString,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type { Request } from 'express';

import { createMemoryReplayCache } from './backchannel-logout.js';
import type {
  BackchannelLogoutEvent,
  LogoutReplayCache,
} from './backchannel-logout.js';
import type { ResolvedOAuth2Provider } from './oauth2-strategy.js';
import type { ResolvedOidcProvider } from './oidc-strategy.js';
import type { FederatedProfile } from './profile.js';
import type {
  OAuth2ProviderConfig,
  OidcProviderConfig,
  ProviderConfig,
} from './providers.js';

const PACKAGE = '@portcullis/federated-login';
const DEFAULT_SCOPE = 'openid email profile';
const DEFAULT_SUCCESS_REDIRECT = '/';
const DEFAULT_TRANSACTION_TTL_SECONDS = 5 * 60;
const DEFAULT_MAX_PENDING_LOGINS = 5;
const DEFAULT_IDP_TIMEOUT_MS = 10_000;
const DEFAULT_DISCOVERY_TTL_SECONDS = 60 * 60;
const DEFAULT_BREAKER_FAILURE_THRESHOLD = 3;
const DEFAULT_BREAKER_COOLDOWN_SECONDS = 30;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
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

/** A provider ready to be used by the router. */
export type ResolvedProvider = ResolvedOidcProvider | ResolvedOAuth2Provider;

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
const COMMON_PROVIDER_KEYS = [
  'type',
  'name',
  'displayName',
  'issuer',
  'clientId',
  'clientSecret',
  'scope',
];
const OIDC_PROVIDER_KEYS = [
  ...COMMON_PROVIDER_KEYS,
  'authorizationParams',
  'checkClaims',
  'trustEmailVerified',
];
const OAUTH2_PROVIDER_KEYS = [
  ...COMMON_PROVIDER_KEYS,
  'authorizationUrl',
  'tokenUrl',
  'fetchProfile',
];

function optionalFunction<T>(path: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw configError(PACKAGE, path, 'must be a function');
  }
  return value;
}

function resolveParams(path: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!ok) throw configError(PACKAGE, path, 'must map names to strings');
  return Object.freeze({ ...(value as Record<string, string>) });
}

function resolveOidc(
  provider: OidcProviderConfig,
  path: string,
  callbackUrl: string,
): ResolvedOidcProvider {
  rejectUnknownKeys(PACKAGE, provider, OIDC_PROVIDER_KEYS);
  const issuer = parseSecureUrl(PACKAGE, `${path}.issuer`, provider.issuer);
  const scope = provider.scope ?? DEFAULT_SCOPE;
  if (typeof scope !== 'string' || !scope.split(' ').includes('openid')) {
    throw configError(PACKAGE, `${path}.scope`, 'must include "openid"');
  }
  const trust = provider.trustEmailVerified ?? true;
  if (typeof trust !== 'boolean') {
    throw configError(
      PACKAGE,
      `${path}.trustEmailVerified`,
      'must be a boolean',
    );
  }

  return {
    type: 'oidc',
    name: provider.name,
    displayName: requireString(
      PACKAGE,
      `${path}.displayName`,
      provider.displayName,
    ),
    issuer,
    clientId: requireString(PACKAGE, `${path}.clientId`, provider.clientId),
    clientSecret: requireString(
      PACKAGE,
      `${path}.clientSecret`,
      provider.clientSecret,
    ),
    scope,
    callbackUrl,
    insecure: issuer.protocol === 'http:' && isLoopbackUrl(issuer),
    authorizationParams: resolveParams(
      `${path}.authorizationParams`,
      provider.authorizationParams,
    ),
    checkClaims: optionalFunction(`${path}.checkClaims`, provider.checkClaims),
    trustEmailVerified: trust,
  };
}

function resolveOAuth2(
  provider: OAuth2ProviderConfig,
  path: string,
  callbackUrl: string,
): ResolvedOAuth2Provider {
  rejectUnknownKeys(PACKAGE, provider, OAUTH2_PROVIDER_KEYS);
  if (typeof provider.fetchProfile !== 'function') {
    throw configError(
      PACKAGE,
      `${path}.fetchProfile`,
      'is required: expected a function',
    );
  }
  if (provider.scope !== undefined && typeof provider.scope !== 'string') {
    throw configError(PACKAGE, `${path}.scope`, 'must be a string');
  }

  const url = (key: 'authorizationUrl' | 'tokenUrl') =>
    parseSecureUrl(PACKAGE, `${path}.${key}`, provider[key]).href;
  return {
    type: 'oauth2',
    name: provider.name,
    displayName: requireString(
      PACKAGE,
      `${path}.displayName`,
      provider.displayName,
    ),
    issuer: parseSecureUrl(PACKAGE, `${path}.issuer`, provider.issuer),
    authorizationUrl: url('authorizationUrl'),
    tokenUrl: url('tokenUrl'),
    clientId: requireString(PACKAGE, `${path}.clientId`, provider.clientId),
    clientSecret: requireString(
      PACKAGE,
      `${path}.clientSecret`,
      provider.clientSecret,
    ),
    scope: provider.scope,
    callbackUrl,
    fetchProfile: provider.fetchProfile,
  };
}

function resolveProvider(
  provider: ProviderConfig,
  path: string,
  baseUrl: URL,
): ResolvedProvider {
  if (typeof provider !== 'object' || provider === null) {
    throw configError(PACKAGE, path, 'must be a provider object');
  }

  const name = requireString(PACKAGE, `${path}.name`, provider.name);
  if (!NAME_PATTERN.test(name)) {
    throw configError(PACKAGE, `${path}.name`, 'must match [a-z0-9-], 32 max');
  }

  const callbackUrl = new URL(`/login/${name}/callback`, baseUrl).href;
  if (provider.type === 'oauth2') {
    return resolveOAuth2(provider, path, callbackUrl);
  }
  if (provider.type !== undefined && provider.type !== 'oidc') {
    throw configError(PACKAGE, `${path}.type`, 'must be "oidc" or "oauth2"');
  }
  return resolveOidc(provider, path, callbackUrl);
}

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
