/**
 * Sign in with Google, Microsoft, GitHub or any OpenID Connect / OAuth 2.0
 * provider, for Express.
 */

export { createFederatedLogin } from './federated-login.js';
export type {
  FederatedLogin,
  FederatedLoginSession,
  ProviderLink,
} from './federated-login.js';
export type { FederatedLoginOptions, ResolveUser } from './options.js';
export { oauth2Provider, oidcProvider } from './providers.js';
export type {
  FetchJson,
  OAuth2ProviderConfig,
  OidcProviderConfig,
  PresetCredentials,
  ProviderConfig,
} from './providers.js';
export { googleProvider } from './google-provider.js';
export type { GoogleProviderOptions } from './google-provider.js';
export { entraProvider } from './entra-provider.js';
export type { EntraProviderOptions } from './entra-provider.js';
export { githubProvider } from './github-provider.js';
export type { GitHubProviderOptions } from './github-provider.js';
export { safeReturnTo } from './return-to.js';
export type { FederatedProfile, ProfileClaims } from './profile.js';
export { LoginError, refuseLogin } from './errors.js';
export type { LoginErrorCode, LoginErrorOptions } from './errors.js';
export { canLinkByEmail } from './account-linking.js';
export type { LinkableAccount } from './account-linking.js';
export type {
  BackchannelLogoutEvent,
  LogoutReplayCache,
} from './backchannel-logout.js';
