/**
 * The Google preset (OpenID Connect). A hosted-domain restriction is
 * checked on the ID token's `hd` claim, which Google sets only for Google
 * Workspace accounts; the email's domain proves nothing and is not read.
 */

import { LoginError } from './errors.js';
import type { OidcProviderConfig, PresetCredentials } from './providers.js';

const GOOGLE_ISSUER = 'https://accounts.google.com';

/** Options of {@link googleProvider}. */
export interface GoogleProviderOptions extends PresetCredentials {
  /**
   * Google Workspace domains allowed to sign in, checked against `hd`
   * (compared case-insensitively). Default: any Google account.
   */
  hostedDomains?: string[];
  /** Name in `/login/:name`. Default: `google`. */
  name?: string;
  /** Button label. Default: `Google`. */
  displayName?: string;
  /**
   * Issuer to discover. Default: `https://accounts.google.com`. Changed
   * only to test against a local stand-in.
   */
  issuer?: string;
}

function checkHostedDomain(allowed: readonly string[]) {
  return function checkHd(claims: Readonly<Record<string, unknown>>) {
    const hd = claims.hd;
    if (typeof hd !== 'string' || !allowed.includes(hd.toLowerCase())) {
      throw new LoginError('LOGIN_DOMAIN_NOT_ALLOWED');
    }
  };
}

/**
 * Sign in with Google. Register `<baseUrl>/login/google/callback` as an
 * authorised redirect URI.
 *
 * @throws TypeError when `hostedDomains` is given but empty or not strings.
 * @example
 * googleProvider({ clientId, clientSecret, hostedDomains: ['example.com'] });
 */
export function googleProvider(
  options: GoogleProviderOptions,
): OidcProviderConfig {
  const { hostedDomains, name, displayName, issuer, ...credentials } = options;
  const config: OidcProviderConfig = {
    type: 'oidc',
    name: name ?? 'google',
    displayName: displayName ?? 'Google',
    issuer: issuer ?? GOOGLE_ISSUER,
    ...credentials,
  };
  if (hostedDomains === undefined) return config;

  const valid =
    Array.isArray(hostedDomains) &&
    hostedDomains.length > 0 &&
    hostedDomains.every((d) => typeof d === 'string' && d.length > 0);
  if (!valid) {
    throw new TypeError(
      '@portcullis/federated-login: "hostedDomains" must be a non-empty ' +
        'array of domain names',
    );
  }

  const allowed = hostedDomains.map((d) => d.toLowerCase());
  // `hd` in the request only preselects the account at Google; the check
  // on the returned claim is what enforces it.
  const hint = allowed.length === 1 ? allowed[0]! : '*';
  return {
    ...config,
    authorizationParams: { hd: hint },
    checkClaims: checkHostedDomain(allowed),
  };
}
