import {
  InvalidRequestError,
  InvalidTokenError,
  TemporarilyUnavailableError,
} from '@portcullis/core';

import {
  JwksUnavailableError,
  MissingTokenError,
  invalidTokenError,
  malformedHeaderError,
  unavailableError,
} from '../src/errors.js';

describe('guard errors', () => {
  it.each([
    [
      'MissingTokenError',
      () => new MissingTokenError(),
      InvalidTokenError,
      401,
      'Bearer',
    ],
    [
      'invalidTokenError',
      () => invalidTokenError('the access token is invalid'),
      InvalidTokenError,
      401,
      'Bearer error="invalid_token", error_description="the access token is invalid"',
    ],
    [
      'malformedHeaderError',
      () => malformedHeaderError(),
      InvalidRequestError,
      400,
      'Bearer error="invalid_request", error_description="the Authorization header is malformed"',
    ],
  ])('%s carries its status and challenge', (_, make, type, status, header) => {
    const error = make();

    expect(error).toBeInstanceOf(type);
    expect(error.status).toBe(status);
    expect(error.headers).toEqual({ 'WWW-Authenticate': header });
  });

  it('unavailableError is a 503 without a challenge, keeping its cause', () => {
    const cause = new Error('down');
    const error = unavailableError(cause);

    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({});
    expect(error.cause).toBe(cause);
  });

  it('JwksUnavailableError keeps the endpoint failure as its cause', () => {
    const cause = new TypeError('fetch failed');

    expect(new JwksUnavailableError(cause).cause).toBe(cause);
  });
});
