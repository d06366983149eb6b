/**
 * Validation of one provider's configuration (OIDC or OAuth 2.0), run once
 * at startup by createFederatedLogin.
 */

import {
  configError,
  isLoopbackUrl,
  parseSecureUrl,
  rejectUnknownKeys,
  requireString,
} from '@portcullis/core';

import type { ResolvedOAuth2Provider } from './oauth2-strategy.js';
import type { ResolvedOidcProvider } from './oidc-strategy.js';
import type {
  OAuth2ProviderConfig,
  OidcProviderConfig,
  ProviderConfig,
} from './providers.js';

const PACKAGE = '@portcullis/federated-login';
const DEFAULT_SCOPE = 'openid email profile';
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** A provider ready to be used by the router. */
export type ResolvedProvider = ResolvedOidcProvider | ResolvedOAuth2Provider;

/** Checks an optional function option. */
export function optionalFunction<T>(path: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw configError(PACKAGE, path, 'must be a function');
  }
  return value;
}

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

/**
 * Validates one provider and resolves its callback URL.
 *
 * @throws TypeError naming the option path, such as `providers[0].issuer`.
 */
export function resolveProvider(
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
