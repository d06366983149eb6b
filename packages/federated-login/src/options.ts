/**
 * Option validation for createFederatedLogin: run once at startup so that a
 * misconfigured provider fails before the first user tries to sign in.
 */

import {
  configError,
  isLoopbackUrl,
  parseSecureUrl,
  rejectUnknownKeys,
  optionalAuditBus,
  optionalLogger,
  requireString,
} from '@portcullis/core';
import type { AuditBus, Logger } from '@portcullis/core';
import type { Request } from 'express';

import type { FederatedProfile } from './profile.js';
import type { ProviderConfig } from './providers.js';
import type { ResolvedProvider } from './strategy.js';

const PACKAGE = '@portcullis/federated-login';
const DEFAULT_SCOPE = 'openid email profile';
const DEFAULT_SUCCESS_REDIRECT = '/';
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Decides who a verified profile is in the application. Return a
 * JSON-serialisable user to sign in, or `false` to refuse the login.
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
  /** Where a signed-in user is sent. Default: `/`. */
  successRedirect?: string;
  /** Audit bus for login events. Default: none. */
  audit?: AuditBus;
  /** Diagnostics. Default: silent. */
  logger?: Logger;
}

/** The normalised configuration. */
export interface FederatedLoginConfig {
  providers: ReadonlyMap<string, ResolvedProvider>;
  resolveUser: ResolveUser;
  successRedirect: string;
  audit: AuditBus | undefined;
  logger: Logger;
}

const KNOWN_OPTIONS = [
  'baseUrl',
  'providers',
  'resolveUser',
  'successRedirect',
  'audit',
  'logger',
];
const KNOWN_PROVIDER_KEYS = [
  'name',
  'displayName',
  'issuer',
  'clientId',
  'clientSecret',
  'scope',
];

function resolveProvider(
  provider: ProviderConfig,
  path: string,
  baseUrl: URL,
): ResolvedProvider {
  if (typeof provider !== 'object' || provider === null) {
    throw configError(PACKAGE, path, 'must be a provider object');
  }
  rejectUnknownKeys(PACKAGE, provider, KNOWN_PROVIDER_KEYS);

  const name = requireString(PACKAGE, `${path}.name`, provider.name);
  if (!NAME_PATTERN.test(name)) {
    throw configError(PACKAGE, `${path}.name`, 'must match [a-z0-9-], 32 max');
  }

  const issuer = parseSecureUrl(PACKAGE, `${path}.issuer`, provider.issuer);
  const scope = provider.scope ?? DEFAULT_SCOPE;
  if (!scope.split(' ').includes('openid')) {
    throw configError(PACKAGE, `${path}.scope`, 'must include "openid"');
  }

  return {
    name,
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
    callbackUrl: new URL(`/login/${name}/callback`, baseUrl).href,
    insecure: issuer.protocol === 'http:' && isLoopbackUrl(issuer),
  };
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
  if (!/^\/(?![/\\])/.test(successRedirect)) {
    throw configError(
      PACKAGE,
      'successRedirect',
      'must be a path starting with one /',
    );
  }

  return Object.freeze({
    providers,
    resolveUser: options.resolveUser,
    successRedirect,
    audit: optionalAuditBus(PACKAGE, options.audit),
    logger: optionalLogger(PACKAGE, options.logger),
  });
}
