/**
 * Builds the `WWW-Authenticate` challenge of a bearer-token failure
 * (RFC 6750 section 3, RFC 9470 section 3).
 */

/** An error code, its description and optional attributes. */
export interface ChallengeError {
  code:
    | 'invalid_request'
    | 'invalid_token'
    | 'insufficient_scope'
    | 'insufficient_user_authentication';
  description: string;
  /** `scope` attribute (RFC 6750 section 3). Default: none. */
  scope?: string;
  /** `acr_values` attribute (RFC 9470 section 3). Default: none. */
  acrValues?: string;
  /** `max_age` attribute in seconds (RFC 9470 section 3). Default: none. */
  maxAge?: number;
}

// RFC 6750 section 3: attribute values allow %x20-21 / %x23-5B / %x5D-7E,
// so quotes, backslashes and non-ASCII characters never reach the header.
const DISALLOWED_VALUE_CHARS = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

function quoted(name: string, value: string): string {
  return `${name}="${value.replace(DISALLOWED_VALUE_CHARS, ' ')}"`;
}

/**
 * Returns the challenge value: a bare `Bearer` when `error` is absent (the
 * request carried no credentials, RFC 6750 section 3.1), otherwise `Bearer`
 * with the `error` and `error_description` attributes and any extras.
 */
export function bearerChallenge(error?: ChallengeError): string {
  if (error === undefined) return 'Bearer';

  const parts = [
    quoted('error', error.code),
    quoted('error_description', error.description),
  ];
  if (error.scope !== undefined) parts.push(quoted('scope', error.scope));
  if (error.acrValues !== undefined) {
    parts.push(quoted('acr_values', error.acrValues));
  }

  if (error.maxAge !== undefined) parts.push(`max_age=${error.maxAge}`);
  return `Bearer ${parts.join(', ')}`;
}
