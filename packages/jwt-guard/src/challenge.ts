/**
 * Builds the `WWW-Authenticate` challenge of a bearer-token failure
 * (RFC 6750 section 3).
 */

/** An RFC 6750 error code and its description, for a challenge. */
export interface ChallengeError {
  code: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description: string;
}

// RFC 6750 section 3: error_description allows %x20-21 / %x23-5B / %x5D-7E,
// so quotes, backslashes and non-ASCII characters never reach the header.
const DISALLOWED_DESCRIPTION_CHARS = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

/**
 * Returns the challenge value: a bare `Bearer` when `error` is absent (the
 * request carried no credentials, RFC 6750 section 3.1), otherwise `Bearer`
 * with the `error` and `error_description` attributes.
 */
export function bearerChallenge(error?: ChallengeError): string {
  if (error === undefined) return 'Bearer';

  const description = error.description.replace(
    DISALLOWED_DESCRIPTION_CHARS,
    ' ',
  );
  return `Bearer error="${error.code}", error_description="${description}"`;
}
