/**
 * Login failures. Each has a stable library code, an HTTP status and a
 * message that tells the user what probably happened and what to do; the
 * library's own error stays in `cause` and is never shown.
 */

/** Stable codes of login failures, shown on the error page. */
export type LoginErrorCode =
  | 'LOGIN_UNKNOWN_PROVIDER'
  | 'LOGIN_TRANSACTION_MISSING'
  | 'LOGIN_TRANSACTION_EXPIRED'
  | 'LOGIN_STATE_MISMATCH'
  | 'LOGIN_ISSUER_MISMATCH'
  | 'LOGIN_CANCELLED'
  | 'LOGIN_IDP_ERROR'
  | 'LOGIN_CODE_REJECTED'
  | 'LOGIN_RESPONSE_INVALID'
  | 'LOGIN_REFUSED'
  | 'LOGIN_DOMAIN_NOT_ALLOWED'
  | 'LOGIN_TENANT_NOT_ALLOWED'
  | 'LOGIN_RESOLVE_FAILED'
  | 'LOGIN_IDP_UNAVAILABLE';

const DETAILS: Record<LoginErrorCode, { status: number; message: string }> = {
  LOGIN_UNKNOWN_PROVIDER: {
    status: 404,
    message: 'There is no sign-in provider by that name.',
  },
  LOGIN_TRANSACTION_MISSING: {
    status: 400,
    message:
      'This sign-in attempt is unknown to this browser. Cookies may be ' +
      'blocked, the attempt was started in another browser, it was already ' +
      'used (back button), or a proxy changed the site address. Start again.',
  },
  LOGIN_TRANSACTION_EXPIRED: {
    status: 400,
    message: 'This sign-in attempt took too long and expired. Start again.',
  },
  LOGIN_STATE_MISMATCH: {
    status: 400,
    message:
      'The identity provider answered a sign-in attempt that this browser ' +
      'did not start here. Start again from this site.',
  },
  LOGIN_ISSUER_MISMATCH: {
    status: 400,
    message:
      'The answer came from a different identity provider than the one ' +
      'asked. Start again from this site.',
  },
  LOGIN_CANCELLED: {
    status: 400,
    message: 'Sign-in was cancelled at the identity provider.',
  },
  LOGIN_IDP_ERROR: {
    status: 400,
    message: 'The identity provider refused the sign-in request.',
  },
  LOGIN_CODE_REJECTED: {
    status: 400,
    message:
      'The identity provider did not accept this sign-in attempt; it may ' +
      'have expired or been altered. Start again.',
  },
  LOGIN_RESPONSE_INVALID: {
    status: 400,
    message:
      'The identity provider response could not be verified. Start again.',
  },
  LOGIN_REFUSED: {
    status: 403,
    message: 'This account is not allowed to sign in here.',
  },
  LOGIN_DOMAIN_NOT_ALLOWED: {
    status: 403,
    message: 'Accounts of this organisation cannot sign in here.',
  },
  LOGIN_TENANT_NOT_ALLOWED: {
    status: 403,
    message: 'Accounts of this directory (tenant) cannot sign in here.',
  },
  LOGIN_RESOLVE_FAILED: {
    status: 503,
    message: 'Sign-in could not be completed here. Try again shortly.',
  },
  LOGIN_IDP_UNAVAILABLE: {
    status: 503,
    message: 'The identity provider cannot be reached. Try again shortly.',
  },
};

/** Options of a {@link LoginError}. */
export interface LoginErrorOptions {
  /** The underlying failure; logged, never shown. */
  cause?: unknown;
  /**
   * A reason the application gives the user (LOGIN_REFUSED only); shown
   * HTML-escaped under the standard message.
   */
  reason?: string;
}

/** A login failure with a page-safe message. */
export class LoginError extends Error {
  readonly code: LoginErrorCode;
  readonly status: number;
  readonly statusCode: number;
  readonly reason: string | undefined;

  constructor(code: LoginErrorCode, options: LoginErrorOptions = {}) {
    super(DETAILS[code].message, { cause: options.cause });
    this.name = 'LoginError';
    this.code = code;
    this.status = DETAILS[code].status;
    this.statusCode = this.status;
    this.reason = options.reason;
  }
}

const MAX_REASON_LENGTH = 200;

/**
 * Builds the error a `resolveUser` hook throws to refuse a login with a
 * reason the user sees (HTML-escaped, cut to 200 characters).
 *
 * @example
 * if (user.suspended) throw refuseLogin('This account is suspended.');
 */
export function refuseLogin(reason: string): LoginError {
  const text = String(reason).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return new LoginError('LOGIN_REFUSED', {
    reason: text.slice(0, MAX_REASON_LENGTH),
  });
}

// Compared by name, not instanceof: fetch's errors come from another realm
// under some runners and sandboxes.
function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '';
}

function isNetworkFailure(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'TimeoutError' || name === 'AbortError') return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
  return name === 'TypeError' && (error as Error).message === 'fetch failed';
}

// openid-client may wrap a fetch failure in its own error; look through a
// few levels of `cause`.
const MAX_CAUSE_DEPTH = 3;

function hasNetworkFailure(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth += 1) {
    if (isNetworkFailure(current)) return true;
    // passport-oauth2 keeps the transport error in `oauthError`.
    const fields = current as { cause?: unknown; oauthError?: unknown } | null;
    current = fields?.cause ?? fields?.oauthError;
    if (current === undefined || current === null) return false;
  }
  return false;
}

// An IdP answering 5xx is as good as down for the breaker.
function isServerFailure(error: unknown): boolean {
  const fields = error as { status?: unknown; oauthError?: unknown } | null;
  const inner = fields?.oauthError as { statusCode?: unknown } | undefined;
  const status = fields?.status ?? inner?.statusCode;
  return typeof status === 'number' && status >= 500;
}

function isRejectedGrant(error: unknown): boolean {
  const fields = error as { name?: unknown; error?: unknown } | null;
  return (
    errorName(error) === 'ResponseBodyError' &&
    (fields?.error === 'invalid_grant' || fields?.error === 'invalid_request')
  );
}

/**
 * Maps whatever openid-client, passport-oauth2 or the network threw during
 * a login step to a LoginError, keeping the original as the cause.
 */
export function toLoginError(error: unknown): LoginError {
  if (error instanceof LoginError) return error;
  if (hasNetworkFailure(error)) {
    return new LoginError('LOGIN_IDP_UNAVAILABLE', { cause: error });
  }

  // Before the status check: passport-oauth2's TokenError defaults to 500.
  if (isRejectedGrant(error) || errorName(error) === 'TokenError') {
    return new LoginError('LOGIN_CODE_REJECTED', { cause: error });
  }
  if (isServerFailure(error)) {
    return new LoginError('LOGIN_IDP_UNAVAILABLE', { cause: error });
  }
  if (errorName(error) === 'AuthorizationResponseError') {
    return new LoginError('LOGIN_IDP_ERROR', { cause: error });
  }
  return new LoginError('LOGIN_RESPONSE_INVALID', { cause: error });
}

/**
 * A loggable summary of an underlying failure: its name, message and code
 * only. Library errors can carry the response or the claims they checked
 * in their own `cause`, which must not reach the logs.
 */
export function describeCause(
  error: unknown,
): { name: string; message: string; code?: string } | undefined {
  if (error === undefined || error === null) return undefined;
  const fields = error as { message?: unknown; code?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  return {
    name: errorName(error) || typeof error,
    message: typeof fields.message === 'string' ? fields.message : '',
    ...(code === undefined ? {} : { code }),
  };
}
