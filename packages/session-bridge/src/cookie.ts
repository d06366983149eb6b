/**
 * Reading and writing the session cookie (RFC 6265). The cookie carries only
 * the session id; its attributes are fixed by the middleware's options.
 */

import type { ServerResponse } from 'node:http';

/** A session id: 32 random bytes, base64url without padding. */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Attributes of the session cookie. */
export interface CookieAttributes {
  name: string;
  secure: boolean;
  sameSite: 'Lax' | 'Strict';
}

/**
 * Returns the first well-formed session id carried under `name` in a Cookie
 * header, or undefined. Values of any other shape are ignored.
 */
export function readSessionId(
  header: string | undefined,
  name: string,
): string | undefined {
  if (header === undefined) return undefined;

  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;

    const value = pair.slice(eq + 1).trim();
    if (SESSION_ID_PATTERN.test(value)) return value;
  }
  return undefined;
}

/** Serialises the cookie; `id` undefined clears it. */
export function serializeSessionCookie(
  attributes: CookieAttributes,
  id: string | undefined,
): string {
  const parts = [
    `${attributes.name}=${id ?? ''}`,
    'Path=/',
    'HttpOnly',
    `SameSite=${attributes.sameSite}`,
  ];
  if (attributes.secure) parts.push('Secure');
  if (id === undefined) parts.push('Max-Age=0');
  return parts.join('; ');
}

/** Adds a Set-Cookie line without dropping ones already set. */
export function appendSetCookie(res: ServerResponse, cookie: string): void {
  const previous = res.getHeader('Set-Cookie');
  if (previous === undefined) {
    res.setHeader('Set-Cookie', [cookie]);
    return;
  }

  const list = Array.isArray(previous) ? previous : [String(previous)];
  res.setHeader('Set-Cookie', [...list, cookie]);
}
