/**
 * The application's own issuer: RFC 9068 access tokens signed with ES256
 * or EdDSA, and the JWKS that verifies them.
 */

export { createTokenService } from './token-service.js';
export type { TokenService } from './token-service.js';
export type { TokenServiceOptions } from './options.js';
export type { SigningAlgorithm } from './signing-key-shape.js';
export type { IssuedAccessToken, MintAccessToken } from './access-token.js';
export type { AccessTokenInput } from './access-token-input.js';
export { hashClientSecret } from './client-secret.js';
export type { ClientConfig, GrantType } from './client-config.js';
export type {
  IssuedRefreshToken,
  RefreshedTokens,
  RefreshInput,
  RefreshTokenInput,
} from './refresh-grant.js';
export {
  InvalidScopeError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from './oauth-errors.js';
