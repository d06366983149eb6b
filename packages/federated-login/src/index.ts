/** Sign in with Google or any OpenID Connect provider, for Express. */

export { createFederatedLogin } from './federated-login.js';
export type {
  FederatedLogin,
  FederatedLoginSession,
  ProviderLink,
} from './federated-login.js';
export type { FederatedLoginOptions, ResolveUser } from './options.js';
export { googleProvider, oidcProvider } from './providers.js';
export type { PresetCredentials, ProviderConfig } from './providers.js';
export type { FederatedProfile } from './profile.js';
export { LoginError } from './errors.js';
export type { LoginErrorCode } from './errors.js';
