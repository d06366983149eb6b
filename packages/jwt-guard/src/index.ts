/**
 * Resource-server middleware for OAuth 2.0 bearer tokens (RFC 6750) in JWT
 * format (RFC 9068), verified against the issuer's JWKS.
 */

export { requireAuth } from './require-auth.js';
export type { RequireAuthOptions } from './options.js';
export type { AuthContext } from './request-auth.js';
