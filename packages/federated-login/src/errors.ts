/**
 * Login failures. Each has a stable library code, an HTTP status and a
 * message that tells the user what probably happened and what to do; the
 * library's own error stays in `cause` and is never shown.
 */

/** Stable codes of login failures, shown on the error page. */
export type LoginErrorCode =
  | 'LOGIN_UNKNOWN_PROVIDER'
  | 'LOGIN_TRANSACTION_MISSING'
  | 'LOGIN_CANCELLED'
  | 'LOGIN_IDP_ERROR'
  | 'LOGIN_RESPONSE_INVALID'
  | 'LOGIN_REFUSED'
  | 'LOGIN_IDP_UNAVAILABLE';

const DETAILS: Record<LoginErrorCode, { status: number; message: string }> = {
  LOGIN_UNKNOWN_PROVIDER: {
    status: 404,
    message: 'There is no sign-in provider by that name.',
  },
  LOGIN_TRANSACTION_MISSING: {
    status: 400,
    message:
      'This sign-in attempt expired or was started in another browser. ' +
      'Cookies may be blocked, or the back button was used. Start again.',
  },
  LOGIN_CANCELLED: {
    status: 400,
    message: 'Sign-in was cancelled at the identity provider.',
  },
  LOGIN_IDP_ERROR: {
    status: 400,
    message: 'The identity provider refused the sign-in request.',
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
  LOGIN_IDP_UNAVAILABLE: {
    status: 503,
    message: 'The identity provider cannot be reached. Try again shortly.',
  },
};

/** A login failure with a page-safe message. */
export class LoginError extends Error {
  readonly code: LoginErrorCode;
  readonly status: number;
  readonly statusCode: number;

  constructor(code: LoginErrorCode, options: { cause?: unknown } = {}) {
    super(DETAILS[code].message, { cause: options.cause });
    this.name = 'LoginError';
    this.code = code;
    this.status = DETAILS[code].status;
    this.statusCode = this.status;
  }
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
  return name === 'TypeError' && (error as Error).message === 'fetch failed';
}

// openid-client may wrap a fetch failure in its own error; look through a
// few levels of `cause`.
const MAX_CAUSE_DEPTH = 3;

function hasNetworkFailure(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth += 1) {
    if (isNetworkFailure(current)) return true;
    current = (current as { cause?: unknown } | null)?.cause;
    if (current === undefined) return false;
  }
  return false;
}

/**
 * Maps whatever openid-client or the network threw during a login step to
 * a LoginError, keeping the original as the cause.
 */
export function toLoginError(error: unknown): LoginError {
  if (error instanceof LoginError) return error;
  if (hasNetworkFailure(error)) {
    return new LoginError('LOGIN_IDP_UNAVAILABLE', { cause: error });
  }

  if (errorName(error) === 'AuthorizationResponseError') {
    return new LoginError('LOGIN_IDP_ERROR', { cause: error });
  }
  return new LoginError('LOGIN_RESPONSE_INVALID', { cause: error });
}
