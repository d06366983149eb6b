/**
 * The AuthError family: every failure Portcullis reports carries an RFC
 * error code (RFC 6749 section 5.2, RFC 6750 section 3.1), an HTTP status,
 * a description that is safe to send, and a private cause that is logged but
 * never sent.
 */

/** Protocol error codes sent on the wire, spelled as the RFCs spell them. */
export type AuthErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable';

/** Options shared by every AuthError constructor. */
export interface AuthErrorOptions {
  /** The underlying failure; kept for logs, never sent. Default: none. */
  cause?: unknown;
  /** Extra response headers, such as WWW-Authenticate. Default: none. */
  headers?: Record<string, string>;
}

/**
 * Base class of every request-time error. `status` and `statusCode` are both
 * set so that Express's default handler uses the right status.
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly statusCode: number;
  readonly description: string;
  readonly headers: Record<string, string>;
  /** Marks the message as safe to show, for Express's default handler. */
  readonly expose = true;

  constructor(
    code: AuthErrorCode,
    status: number,
    description: string,
    options: AuthErrorOptions = {},
  ) {
    super(description, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.statusCode = status;
    this.description = description;
    this.headers = { ...options.headers };
  }

  /** The response body: the RFC code and the safe description only. */
  toJSON(): { error: AuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** 400 `invalid_request`: the request is malformed. */
export class InvalidRequestError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('invalid_request', 400, description, options);
  }
}

/** 401 `invalid_token`: the token is expired, revoked, malformed or forged. */
export class InvalidTokenError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('invalid_token', 401, description, options);
  }
}

/** 403 `insufficient_scope`: the token lacks a required scope. */
export class InsufficientScopeError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('insufficient_scope', 403, description, options);
  }
}

/** 400 `invalid_grant`: a grant or refresh token is invalid or reused. */
export class InvalidGrantError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('invalid_grant', 400, description, options);
  }
}

/** 401 `invalid_client`: client authentication failed. */
export class InvalidClientError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('invalid_client', 401, description, options);
  }
}

/** 403 `access_denied`: the user or the application refused the request. */
export class AccessDeniedError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('access_denied', 403, description, options);
  }
}

/** 500 `server_error`: an unexpected failure; details stay in `cause`. */
export class ServerError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('server_error', 500, description, options);
  }
}

/**
 * 503 `temporarily_unavailable`: a store, a JWKS endpoint or an IdP could
 * not answer. Callers fail closed with this error, never open.
 */
export class TemporarilyUnavailableError extends AuthError {
  constructor(description: string, options?: AuthErrorOptions) {
    super('temporarily_unavailable', 503, description, options);
  }
}

/** True when `value` is an AuthError from any copy of this package. */
export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}
