import { errors } from 'jose';

import { InvalidRequestError } from '@portcullis/core';

import { JwksUnavailableError } from '../src/errors.js';
import { toAuthError } from '../src/map-error.js';

describe('toAuthError', () => {
  it.each([
    [
      'an expired token',
      new errors.JWTExpired('"exp" claim timestamp check failed', {}),
      401,
      'the access token has expired',
    ],
    [
      'a failed claim check',
      new errors.JWTClaimValidationFailed('unexpected "aud" claim value', {}),
      401,
      'the access token is invalid',
    ],
    [
      'a bad signature',
      new errors.JWSSignatureVerificationFailed(),
      401,
      'the access token is invalid',
    ],
    [
      'a disallowed algorithm',
      new errors.JOSEAlgNotAllowed('"alg" not allowed'),
      401,
      'the access token is invalid',
    ],
    [
      'a key that matches nothing',
      new errors.JWKSNoMatchingKey(),
      401,
      'the access token is invalid',
    ],
    [
      'a malformed JWS',
      new errors.JWSInvalid('Invalid Compact JWS'),
      401,
      'the access token is invalid',
    ],
    [
      'an unknown failure',
      new RangeError('unexpected'),
      401,
      'the access token is invalid',
    ],
    [
      'an unreachable JWKS',
      new JwksUnavailableError(new TypeError('fetch failed')),
      503,
      'the access token cannot be verified at this time',
    ],
  ])('maps %s', (_, error, status, description) => {
    const mapped = toAuthError(error);

    expect(mapped.status).toBe(status);
    expect(mapped.description).toBe(description);
    expect(mapped.cause).toBe(error);
  });

  it('names jose failures without the library message in the body', () => {
    const mapped = toAuthError(
      new errors.JWTClaimValidationFailed('unexpected "iss" claim value', {}),
    );

    expect(JSON.stringify(mapped.toJSON())).not.toContain('iss');
  });

  it('passes an AuthError through unchanged', () => {
    const error = new InvalidRequestError('bad');

    expect(toAuthError(error)).toBe(error);
  });
});
