/**
 * Provider configurations. A provider is plain data: an OpenID provider
 * found through discovery, or a plain OAuth 2.0 provider with explicit
 * endpoints and a profile fetcher; the router turns it into a strategy.
 * Presets for Google, Microsoft Entra ID and GitHub live in their own files.
 */

import type { ProfileClaims } from './profile.js';

/** One OpenID Connect provider, found through its issuer's discovery. */
export interface OidcProviderConfig {
  /** `oidc`. Default when absent. */
  type?: 'oidc';
  /** URL-safe name used in `/login/:name`. Required. */
  name: string;
  /** Label for buttons, such as "Google". Required. */
  displayName: string;
  /** Issuer identifier, discovered via OIDC Discovery 1.0. Required. */
  issuer: string;
  /** OAuth client id registered at the provider. Required. */
  clientId: string;
  /** OAuth client secret; sent with client_secret_basic. Required. */
  clientSecret: string;
  /** Requested scopes; must include `openid`. Default: `openid email profile`. */
  scope?: string;
  /** Extra authorization request parameters. Default: none. */
  authorizationParams?: Record<string, string>;
  /**
   * Checks the validated ID token claims before `resolveUser`; throw a
   * LoginError to refuse. Default: none.
   */
  checkClaims?: (claims: Readonly<Record<string, unknown>>) => void;
  /**
   * Whether this provider's `email_verified` can be believed. Default: true.
   * The Entra ID preset sets false.
   */
  trustEmailVerified?: boolean;
}

/** Fetches a JSON document with the access token, within the IdP timeout. */
export type FetchJson = (url: string) => Promise<unknown>;

/** A plain OAuth 2.0 provider (no ID token). */
export interface OAuth2ProviderConfig {
  type: 'oauth2';
  /** URL-safe name used in `/login/:name`. Required. */
  name: string;
  /** Label for buttons. Required. */
  displayName: string;
  /**
   * The identifier users are keyed under, such as `https://github.com`;
   * also the expected RFC 9207 `iss` when the provider sends one. Required.
   */
  issuer: string;
  /** Authorization endpoint (https, or http on loopback). Required. */
  authorizationUrl: string;
  /** Token endpoint (https, or http on loopback). Required. */
  tokenUrl: string;
  /** OAuth client id. Required. */
  clientId: string;
  /** OAuth client secret. Required. */
  clientSecret: string;
  /** Requested scopes, space-separated. Default: none. */
  scope?: string;
  /**
   * Reads who signed in with the access token; `fetchJson` sends it as a
   * bearer token. Required.
   */
  fetchProfile: (fetchJson: FetchJson) => Promise<ProfileClaims>;
}

/** Any provider that {@link createFederatedLogin} accepts. */
export type ProviderConfig = OidcProviderConfig | OAuth2ProviderConfig;

/** Credentials for a preset. */
export interface PresetCredentials {
  clientId: string;
  clientSecret: string;
  /** Requested scopes. Default: the preset's. */
  scope?: string;
}

/** Any OpenID Connect provider, found through its issuer's discovery. */
export function oidcProvider(config: OidcProviderConfig): OidcProviderConfig {
  return { ...config, type: 'oidc' };
}

/** Any OAuth 2.0 provider without OpenID Connect. */
export function oauth2Provider(
  config: Omit<OAuth2ProviderConfig, 'type'>,
): OAuth2ProviderConfig {
  return { ...config, type: 'oauth2' };
}
