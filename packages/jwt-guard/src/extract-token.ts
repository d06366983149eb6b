/**
 * Reads a bearer token from the Authorization request header field
 * (RFC 6750 section 2.1). Query parameters and form bodies are not read.
 */

import {
  MalformedHeaderError,
  MissingTokenError,
  TokenRejectedError,
} from './errors.js';

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" /
// "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

// RFC 9110 section 11.4: credentials = auth-scheme [ 1*SP token68 ].
const LEADING_SPACES = /^ +/;
const BEARER_WITH_OTHER_SEPARATOR = /^bearer\s/i;

/**
 * Returns the bearer token of an Authorization header value.
 *
 * A missing or empty header, or one with another scheme, carries no bearer
 * credentials. The scheme is matched case-insensitively (RFC 9110 section
 * 11.1).
 *
 * @throws MissingTokenError (401) when there are no bearer credentials.
 * @throws InvalidRequestError (400) when the credentials are malformed.
 * @throws InvalidTokenError (401) when the token exceeds `maxTokenBytes`.
 */
export function extractBearerToken(
  header: string | undefined,
  maxTokenBytes: number,
): string {
  return extractCredentials(header, maxTokenBytes, ['bearer']).token;
}

/** The scheme and token of an Authorization header. */
export interface Credentials {
  readonly scheme: 'bearer' | 'dpop';
  readonly token: string;
}

/**
 * Returns the scheme and token of an Authorization header value, for the
 * schemes in `schemes` (`bearer`, and `dpop` when DPoP is enabled, RFC 9449
 * section 7.1). Another scheme counts as no credentials.
 *
 * @throws the same errors as {@link extractBearerToken}.
 */
export function extractCredentials(
  header: string | undefined,
  maxTokenBytes: number,
  schemes: readonly ('bearer' | 'dpop')[],
  checkSyntax = true,
): Credentials {
  const value = header?.trim() ?? '';
  if (value.length === 0) throw new MissingTokenError();

  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  if (!schemes.includes(scheme as 'bearer')) {
    if (BEARER_WITH_OTHER_SEPARATOR.test(value)) {
      throw new MalformedHeaderError();
    }

    throw new MissingTokenError();
  }

  const token =
    space === -1 ? '' : value.slice(space + 1).replace(LEADING_SPACES, '');
  if (token.length === 0) throw new MalformedHeaderError();
  // A UTF-16 code unit takes at most three bytes in UTF-8.
  if (
    token.length * 3 > maxTokenBytes &&
    Buffer.byteLength(token) > maxTokenBytes
  ) {
    throw new TokenRejectedError('JWT_GUARD_TOO_LARGE');
  }

  if (checkSyntax) checkTokenSyntax(token);
  return { scheme: scheme as 'bearer' | 'dpop', token };
}

/**
 * Checks that `token` is an RFC 6750 b64token. A token the verified-token
 * cache holds has passed it already (a compact JWS always does), so the
 * middleware checks it only on a cache miss.
 *
 * @throws InvalidRequestError (400) when it is not.
 */
export function checkTokenSyntax(token: string): void {
  if (!B64TOKEN.test(token)) throw new MalformedHeaderError();
}
