/**
 * The application's own issuer: RFC 9068 access tokens signed with ES256,
 * EdDSA or RS256 from a rotating key ring or a KMS signer, and the JWKS
 * that verifies them.
 */

export { createTokenService } from './token-service.js';
export type { TokenService } from './token-service.js';
export type { TokenServiceOptions } from './options.js';
export type { SigningAlgorithm } from './signing-key-shape.js';
export type { Signer } from './signer.js';
export type { KeyRotation } from './key-ring.js';
export type { KeyEncryptionKey } from './key-encryption.js';
export type { KeyOptions, KeyRotationOptions } from './key-options.js';
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
