/**
 * Provider presets. A preset is plain data: the issuer to discover, the
 * client credentials and the scopes; the router turns it into a strategy.
 */

/** One identity provider the application signs users in with. */
export interface ProviderConfig {
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
  /** Requested scopes. Default: `openid email profile`. */
  scope?: string;
}

/** Credentials for a preset. */
export interface PresetCredentials {
  clientId: string;
  clientSecret: string;
  /** Requested scopes. Default: `openid email profile`. */
  scope?: string;
}

/**
 * Sign in with Google (OpenID Connect). Register
 * `<baseUrl>/login/google/callback` as an authorised redirect URI.
 */
export function googleProvider(credentials: PresetCredentials): ProviderConfig {
  return {
    name: 'google',
    displayName: 'Google',
    issuer: 'https://accounts.google.com',
    ...credentials,
  };
}

/** Any OpenID Connect provider, found through its issuer's discovery. */
export function oidcProvider(config: ProviderConfig): ProviderConfig {
  return { ...config };
}
