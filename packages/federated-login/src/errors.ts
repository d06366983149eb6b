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

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

/**
 * Maps whatever openid-client or the network threw during a login step to
 * a LoginError, keeping the original as the cause.
 */
export function toLoginError(error: unknown): LoginError {
  if (error instanceof LoginError) return error;
  if (isNetworkFailure(error)) {
    return new LoginError('LOGIN_IDP_UNAVAILABLE', { cause: error });
  }

  const name = error instanceof Error ? error.name : '';
  if (name === 'AuthorizationResponseError') {
    return new LoginError('LOGIN_IDP_ERROR', { cause: error });
  }
  return new LoginError('LOGIN_RESPONSE_INVALID', { cause: error });
}
