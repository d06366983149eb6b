import { LoginError } from '../src/index.js';
import { toLoginError } from '../src/errors.js';

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
  ])('maps %s', (_name, thrown, code, status) => {
    const error = toLoginError(thrown);

    expect(error).toBeInstanceOf(LoginError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).not.toContain(String(thrown));
  });
});
