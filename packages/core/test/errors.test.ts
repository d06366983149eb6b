import {
  AccessDeniedError,
  AuthError,
  InsufficientScopeError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
  isAuthError,
} from '../src/index.js';

describe('AuthError family', () => {
  it.each<[new (d: string) => AuthError, string, number]>([
    [InvalidRequestError, 'invalid_request', 400],
    [InvalidTokenError, 'invalid_token', 401],
    [InsufficientScopeError, 'insufficient_scope', 403],
    [InvalidGrantError, 'invalid_grant', 400],
    [InvalidClientError, 'invalid_client', 401],
    [AccessDeniedError, 'access_denied', 403],
    [ServerError, 'server_error', 500],
    [TemporarilyUnavailableError, 'temporarily_unavailable', 503],
  ])('%p carries its RFC code and status', (ErrorClass, code, status) => {
    const error = new ErrorClass('described');

    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.statusCode).toBe(status);
    expect(error.name).toBe(ErrorClass.name);
    expect(isAuthError(error)).toBe(true);
  });

  it('keeps the cause private: it is not part of the JSON body', () => {
    const cause = new Error('db password is hunter2');
    const error = new InvalidTokenError('the access token is invalid', {
      cause,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });

    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).toBe(
      '{"error":"invalid_token","error_description":"the access token is invalid"}',
    );
    expect(error.headers).toEqual({
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  });

  it('does not treat other errors as AuthErrors', () => {
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError({ code: 'invalid_token', status: 401 })).toBe(false);
  });
});
