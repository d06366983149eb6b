import { bearerChallenge } from '../src/challenge.js';

describe('bearerChallenge', () => {
  it('is a bare Bearer challenge without an error', () => {
    expect(bearerChallenge()).toBe('Bearer');
  });

  it.each([
    [
      'invalid_token',
      'the access token is invalid',
      'Bearer error="invalid_token", error_description="the access token is invalid"',
    ],
    [
      'invalid_request',
      'the Authorization header is malformed',
      'Bearer error="invalid_request", error_description="the Authorization header is malformed"',
    ],
    [
      'insufficient_scope',
      'say "hi" \\ there\u00e9\n',
      'Bearer error="insufficient_scope", error_description="say  hi    there  "',
    ],
  ] as const)(
    'renders %s with a description of allowed characters only',
    (code, description, expected) => {
      expect(bearerChallenge({ code, description })).toBe(expected);
    },
  );
});
