/**
 * Refresh token values: 256 random bits in base64url, known to the store
 * only by their SHA-256 hash. A successor is derived from the presented
 * token with HMAC-SHA256 under a server secret, so a retry of the same
 * refresh produces the same successor (see the stores README).
 */

import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Bytes of randomness in a first refresh token (256 bits). */
export const REFRESH_TOKEN_BYTES = 32;

/** A new random refresh token. */
export function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

/** The stored form of a token: SHA-256, base64url. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** The successor of `token`: HMAC-SHA256 under `secret`, base64url. */
export function deriveSuccessor(secret: Buffer, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('base64url');
}

/** True when `value` has the shape of a token this service issues. */
export function looksLikeRefreshToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
