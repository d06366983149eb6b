/**
 * Session ids, their public handles and the keys they are stored under. The
 * id is 256 random bits and lives only in the cookie; the public handle is
 * its SHA-256, safe to put in logs, audit events and token `sid` claims; the
 * store key is derived from the handle, so a copy of the store holds no
 * usable cookie value.
 */

import { createHash, randomBytes } from 'node:crypto';

const SESSION_ID_BYTES = 32;

/** A new unguessable session id. */
export function createSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url');
}

/** The public handle of a session id: it cannot be turned back into it. */
export function publicIdFor(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

const STORE_KEY_PREFIX = 'sess:';

/** The key a session is stored under, from its public handle. */
export function storeKeyForPublicId(publicId: string): string {
  return `${STORE_KEY_PREFIX}${publicId}`;
}

/** The public handle behind a store key, or undefined for another key. */
export function publicIdOfStoreKey(key: string): string | undefined {
  return key.startsWith(STORE_KEY_PREFIX)
    ? key.slice(STORE_KEY_PREFIX.length)
    : undefined;
}

/** The key a session id is stored under. */
export function storeKeyFor(id: string): string {
  return storeKeyForPublicId(publicIdFor(id));
}
