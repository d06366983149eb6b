/**
 * Session ids and the keys they are stored under. The id is 256 random bits;
 * the store key is its SHA-256, so a copy of the store holds no usable
 * cookie value.
 */

import { createHash, randomBytes } from 'node:crypto';

const SESSION_ID_BYTES = 32;

/** A new unguessable session id. */
export function createSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url');
}

/** The key a session id is stored under. */
export function storeKeyFor(id: string): string {
  return `sess:${createHash('sha256').update(id).digest('base64url')}`;
}
