import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
} from '@portcullis/core';

import {
  GuardMisconfiguredError,
  GuardUnavailableError,
  MalformedHeaderError,
  MissingTokenError,
  ScopeRequiredError,
  StepUpRequiredError,
  TokenRejectedError,
  reasonOf,
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
      'TokenRejectedError',
      () => new TokenRejectedError('JWT_GUARD_BAD_SIGNATURE'),
      InvalidTokenError,
      401,
      'Bearer error="invalid_token", error_description="the access token is invalid"',
    ],
    [
      'TokenRejectedError for an expired token',
      () => new TokenRejectedError('JWT_GUARD_EXPIRED'),
      InvalidTokenError,
      401,
      'Bearer error="invalid_token", error_description="the access token has expired"',
    ],
    [
      'MalformedHeaderError',
      () => new MalformedHeaderError(),
      InvalidRequestError,
      400,
      'Bearer error="invalid_request", error_description="the Authorization header is malformed"',
    ],
    [
      'ScopeRequiredError',
      () => new ScopeRequiredError('JWT_GUARD_SCOPE_MISSING', ['a', 'b:c']),
      InsufficientScopeError,
      403,
      'Bearer error="insufficient_scope", ' +
        'error_description="the access token lacks a required privilege", ' +
        'scope="a b:c"',
    ],
    [
      'StepUpRequiredError',
      () =>
        new StepUpRequiredError({ acrValues: ['urn:mfa'], maxAgeSeconds: 60 }),
      InvalidTokenError,
      401,
      'Bearer error="insufficient_user_authentication", ' +
        'error_description="a stronger or more recent authentication is required", ' +
        'acr_values="urn:mfa", ' +
        'max_age=60',
    ],
  ])('%s carries its status and challenge', (_, make, type, status, header) => {
    const error = make();

    expect(error).toBeInstanceOf(type);
    expect(error.status).toBe(status);
    expect(error.headers).toEqual({ 'WWW-Authenticate': header });
  });

  it('GuardUnavailableError is a 503 without a challenge, keeping its cause', () => {
    const cause = new Error('down');
    const error = new GuardUnavailableError(
      'JWT_GUARD_KEYS_UNAVAILABLE',
      cause,
    );

    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({});
    expect(error.cause).toBe(cause);
    expect(error.reason).toBe('JWT_GUARD_KEYS_UNAVAILABLE');
  });

  it('GuardMisconfiguredError is a 500 server_error', () => {
    const error = new GuardMisconfiguredError(new TypeError('x'));

    expect(error).toBeInstanceOf(ServerError);
    expect(error.reason).toBe('JWT_GUARD_REVOCATION_MISCONFIGURED');
  });

  it('keeps the reason off the wire unless debug is asked for', () => {
    const quiet = new TokenRejectedError('JWT_GUARD_KID_UNKNOWN');
    const loud = new TokenRejectedError(
      'JWT_GUARD_KID_UNKNOWN',
      undefined,
      true,
    );

    expect(JSON.stringify(quiet.toJSON())).not.toContain('KID');
    expect(quiet.headers['WWW-Authenticate']).not.toContain('KID');
    expect(loud.toJSON().error_description).toContain('JWT_GUARD_KID_UNKNOWN');
  });

  it('names the RFC 9470 code in the step-up body', () => {
    const error = new StepUpRequiredError({ maxAgeSeconds: 5 });

    expect(error.toJSON()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger or more recent authentication is required',
    });
  });

  it('reasonOf reads the reason of guard errors only', () => {
    expect(reasonOf(new TokenRejectedError('JWT_GUARD_REVOKED'))).toBe(
      'JWT_GUARD_REVOKED',
    );
    expect(reasonOf(new Error('x'))).toBeUndefined();
    expect(reasonOf(null)).toBeUndefined();
  });
});
