/**
 * Resource-server guard for OAuth 2.0 bearer tokens (RFC 6750) in JWT
 * format (RFC 9068): a verifier core usable without Express, the Express
 * middleware on top of it, authorization guards and provider presets.
 */

export { createVerifier } from './verifier.js';
export type { Verifier, VerifyContext } from './verifier.js';
export type { TokenCacheOptions, TokenCacheStats } from './token-cache.js';
export { requireAuth } from './require-auth.js';
export type { RequireAuthOptions } from './require-auth.js';
export type {
  DenyListOptions,
  RevocationCheck,
  ScopeClaim,
  VerifierOptions,
} from './options.js';
export type { IssuerOptions } from './issuer-options.js';
export type { JwksTimingOptions } from './timing-options.js';
export type { AuthContext } from './request-auth.js';
export type { GuardReason } from './reasons.js';
export {
  GuardMisconfiguredError,
  GuardUnavailableError,
  MalformedHeaderError,
  MissingTokenError,
  ScopeRequiredError,
  StepUpRequiredError,
  TokenRejectedError,
  reasonOf,
} from './errors.js';
export { verifySignature, verifySignatureAsync } from './verify-signature.js';
export { verifySignatureOnWorker } from './signature-worker.js';
export { autoSignatureThread } from './signature-thread.js';
export type { SignatureThread } from './signature-thread.js';
export { requireAnyScope, requireClaim, requireScopes } from './authorize.js';
export type { ClaimMatcher } from './authorize.js';
export type { GuardOptions } from './guard-options.js';
export { requireAuthLevel } from './step-up.js';
export type { AuthLevelOptions } from './step-up.js';
export {
  auth0,
  cognito,
  entraId,
  google,
  keycloak,
  okta,
  portcullis,
} from './presets.js';
export type {
  Auth0PresetOptions,
  CognitoPresetOptions,
  EntraIdPresetOptions,
  GooglePresetOptions,
  KeycloakPresetOptions,
  OktaPresetOptions,
  PortcullisPresetOptions,
} from './presets.js';
export type { IntrospectionOptions } from './introspection.js';
export type { DpopOptions, DpopReplayStore, DpopRequest } from './dpop.js';
export { DpopProofError } from './errors.js';
export type { MtlsOptions } from './mtls.js';
export { createNonceProvider } from './dpop-nonce.js';
export type { DpopNonceProvider } from './dpop-nonce.js';
export { DpopNonceError } from './errors.js';
