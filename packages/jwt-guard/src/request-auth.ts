/**
 * The verified token the guard attaches to the request as `req.auth`, and
 * the Express request augmentation that types it.
 */

import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

/** What `requireAuth` verified, attached as `req.auth`. Frozen. */
export interface AuthContext {
  /** The bearer token as received. Never log it. */
  readonly token: string;
  /** The verified JWS protected header. */
  readonly header: ProtectedHeaderParameters;
  /** The verified claims. */
  readonly claims: JWTPayload;
  /** The scopes of the space-separated `scope` claim; empty when absent. */
  readonly scopes: readonly string[];
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
