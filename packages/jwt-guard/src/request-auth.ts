/**
 * The verified token the guard attaches to the request as `req.auth`, and
 * the Express request augmentation that types it.
 */

import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

/** What the guard verified, attached as `req.auth`. Frozen. */
export interface AuthContext {
  /** The bearer token as received. Never log it. */
  readonly token: string;
  /** The verified JWS protected header. */
  readonly header: ProtectedHeaderParameters;
  /** The verified claims. */
  readonly claims: JWTPayload;
  /** The granted scopes, read from the configured `scopeClaims`. */
  readonly scopes: readonly string[];
  /** The trusted issuer that signed the token. */
  readonly issuer: string;
}

declare global {
  // Express declares its request type in this global namespace.
  namespace Express {
    interface Request {
      /** The verified access token, set by `requireAuth`. */
      auth?: AuthContext;
    }
  }
}
