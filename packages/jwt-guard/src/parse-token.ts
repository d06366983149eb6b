/**
 * Splits a compact JWS (RFC 7515 section 7.1) into its parts and decodes
 * the header and the claims set, before any key is chosen. Nothing here is
 * trusted until the signature verifies.
 */

import { TokenRejectedError } from './errors.js';

/** A decoded but not yet verified token. */
export interface ParsedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

// RFC 7515 section 2: base64url without padding.
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodePart(part: string | undefined): Buffer {
  if (part === undefined || !BASE64URL.test(part) || part.length % 4 === 1) {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  // Only the canonical encoding is accepted: otherwise the unused low bits
  // of the last character would let one token have several spellings.
  if (!unusedBitsAreZero(part)) {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  return Buffer.from(part, 'base64url');
}

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// RFC 4648 section 3.5: a final group of 2 characters carries 8 bits of
// its 12 (4 unused), one of 3 carries 16 of 18 (2 unused); canonical
// encoders leave the unused bits zero.
function unusedBitsAreZero(part: string): boolean {
  const rest = part.length % 4;
  if (rest === 0) return true;
  const unused = rest === 2 ? 0b1111 : 0b11;
  return (ALPHABET.indexOf(part.charAt(part.length - 1)) & unused) === 0;
}

function decodeJsonObject(part: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodePart(part).toString('utf8'));
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN', error);
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  return value as Record<string, unknown>;
}

/**
 * Parses `token`. An empty signature part is an unsecured JWS and is
 * refused here, whatever its `alg` says.
 *
 * @throws TokenRejectedError `JWT_GUARD_MALFORMED_TOKEN` or
 * `JWT_GUARD_UNSIGNED`.
 */
export function parseToken(token: string): ParsedToken {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new TokenRejectedError('JWT_GUARD_MALFORMED_TOKEN');
  }

  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJsonObject(headerPart);
  const claims = decodeJsonObject(payloadPart);
  if (signaturePart === '') throw new TokenRejectedError('JWT_GUARD_UNSIGNED');

  return {
    header,
    claims,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
    signature: decodePart(signaturePart),
  };
}
