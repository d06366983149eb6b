import { InvalidRequestError } from '@portcullis/core';

import { GuardUnavailableError, TokenRejectedError } from '../src/errors.js';
import { toAuthError } from '../src/map-error.js';

describe('toAuthError', () => {
  it.each([
    ['a RangeError', new RangeError('unexpected')],
    ['a SyntaxError', new SyntaxError('Unexpected token')],
    ['a string', 'boom'],
    ['undefined', undefined],
  ])('maps %s to invalid_token without its message', (_, error) => {
    const mapped = toAuthError(error);

    expect(mapped).toBeInstanceOf(TokenRejectedError);
    expect(mapped.status).toBe(401);
    expect(mapped.description).toBe('the access token is invalid');
    expect(mapped.cause).toBe(error);
    expect(JSON.stringify(mapped.toJSON())).not.toContain('unexpected');
  });

  it.each([
    new InvalidRequestError('bad'),
    new GuardUnavailableError('JWT_GUARD_KEYS_UNAVAILABLE'),
    new TokenRejectedError('JWT_GUARD_EXPIRED'),
  ])('passes an AuthError through unchanged (%#)', (error) => {
    expect(toAuthError(error)).toBe(error);
  });
});
