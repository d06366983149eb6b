/**
 * The GitHub preset: OAuth 2.0 without OpenID Connect. The user is keyed by
 * GitHub's numeric id under the issuer `https://github.com`; an email is
 * reported only when GitHub lists it as the primary address and verified.
 */

import type { FetchJson, OAuth2ProviderConfig } from './providers.js';
import type { PresetCredentials } from './providers.js';
import type { ProfileClaims } from './profile.js';

const GITHUB_ISSUER = 'https://github.com';
const GITHUB_WEB = 'https://github.com';
const GITHUB_API = 'https://api.github.com';

/** Options of {@link githubProvider}. */
export interface GitHubProviderOptions extends PresetCredentials {
  /** Name in `/login/:name`. Default: `github`. */
  name?: string;
  /** Button label. Default: `GitHub`. */
  displayName?: string;
  /**
   * Base URLs of the web (authorize, token) and API hosts. Default:
   * github.com and api.github.com. For GitHub Enterprise Server, or a
   * local stand-in in tests.
   */
  webUrl?: string;
  apiUrl?: string;
}

interface GitHubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

function verifiedPrimary(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const primary = (list as GitHubEmail[]).find(
    (entry) => entry?.primary === true && entry.verified === true,
  );
  return typeof primary?.email === 'string' ? primary.email : undefined;
}

function githubProfile(apiUrl: string) {
  return async function fetchGitHubProfile(
    fetchJson: FetchJson,
  ): Promise<ProfileClaims> {
    const user = (await fetchJson(`${apiUrl}/user`)) as Record<string, unknown>;
    const emails = await fetchJson(`${apiUrl}/user/emails`);
    const email = verifiedPrimary(emails);
    const id = user?.id;

    return {
      sub: typeof id === 'number' || typeof id === 'string' ? String(id) : '',
      ...(email === undefined ? {} : { email, email_verified: true }),
      name: typeof user.name === 'string' ? user.name : user.login,
      picture: user.avatar_url,
      login: user.login,
    };
  };
}

/**
 * Sign in with GitHub (an OAuth App). Register
 * `<baseUrl>/login/github/callback` as its callback URL.
 *
 * @example
 * githubProvider({ clientId, clientSecret });
 */
export function githubProvider(
  options: GitHubProviderOptions,
): OAuth2ProviderConfig {
  const { name, displayName, webUrl, apiUrl, ...credentials } = options;
  const web = (webUrl ?? GITHUB_WEB).replace(/\/$/, '');
  const api = (apiUrl ?? GITHUB_API).replace(/\/$/, '');

  return {
    type: 'oauth2',
    name: name ?? 'github',
    displayName: displayName ?? 'GitHub',
    issuer: webUrl === undefined ? GITHUB_ISSUER : web,
    authorizationUrl: `${web}/login/oauth/authorize`,
    tokenUrl: `${web}/login/oauth/access_token`,
    scope: 'read:user user:email',
    ...credentials,
    fetchProfile: githubProfile(api),
  };
}
