import { LoginError, refuseLogin } from '../src/index.js';
import { describeCause, toLoginError } from '../src/errors.js';

describe('toLoginError', () => {
  it.each<[string, unknown, string, number]>([
    [
      'a fetch failure',
      new TypeError('fetch failed'),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
    [
      'a timeout',
      Object.assign(new Error('t'), { name: 'TimeoutError' }),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
    [
      'an IdP error response',
      Object.assign(new Error('x'), { name: 'AuthorizationResponseError' }),
      'LOGIN_IDP_ERROR',
      400,
    ],
    [
      'a validation failure',
      new Error('unexpected "state" response parameter value'),
      'LOGIN_RESPONSE_INVALID',
      400,
    ],
    [
      'a fetch failure wrapped by the client',
      Object.assign(new Error('something went wrong'), {
        cause: new TypeError('fetch failed'),
      }),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
    ['a thrown string', 'boom', 'LOGIN_RESPONSE_INVALID', 400],
    [
      'a refused code at the token endpoint',
      Object.assign(new Error('x'), {
        name: 'ResponseBodyError',
        error: 'invalid_grant',
        status: 400,
      }),
      'LOGIN_CODE_REJECTED',
      400,
    ],
    [
      "passport-oauth2's TokenError (status 500 by default)",
      Object.assign(new Error('x'), { name: 'TokenError', status: 500 }),
      'LOGIN_CODE_REJECTED',
      400,
    ],
    [
      'a 5xx answer of the IdP',
      Object.assign(new Error('x'), { name: 'ResponseBodyError', status: 502 }),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
    [
      "passport-oauth2's wrapped connection failure",
      Object.assign(new Error('x'), {
        name: 'InternalOAuthError',
        oauthError: Object.assign(new Error('connect'), {
          code: 'ECONNREFUSED',
        }),
      }),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
    [
      "passport-oauth2's token endpoint answering 503",
      Object.assign(new Error('x'), {
        name: 'InternalOAuthError',
        oauthError: { statusCode: 503, data: '' },
      }),
      'LOGIN_IDP_UNAVAILABLE',
      503,
    ],
  ])('maps %s', (_name, thrown, code, status) => {
    const error = toLoginError(thrown);

    expect(error).toBeInstanceOf(LoginError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).not.toContain(String(thrown));
  });
});

describe('refuseLogin', () => {
  it('builds LOGIN_REFUSED with a reason cut to 200 characters, without control characters', () => {
    const error = refuseLogin(`a\r\nb${'x'.repeat(300)}`);

    expect(error.code).toBe('LOGIN_REFUSED');
    expect(error.status).toBe(403);
    expect(error.reason).toHaveLength(200);
    expect(error.reason).not.toMatch(/[\r\n]/);
  });
});

describe('describeCause', () => {
  it('keeps name, message and code, and drops nested causes and bodies', () => {
    const error = Object.assign(new Error('unexpected "nonce" claim value'), {
      name: 'OperationProcessingError',
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      cause: { claims: { email: 'alice@example.test' } },
      response: { body: 'secret' },
    });

    expect(describeCause(error)).toEqual({
      name: 'OperationProcessingError',
      message: 'unexpected "nonce" claim value',
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
    });
    expect(describeCause(undefined)).toBeUndefined();
  });
});
