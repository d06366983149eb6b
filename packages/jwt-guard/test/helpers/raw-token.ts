/**
 * Signs arbitrary headers and payloads with jose's CompactSign, so tests can
 * build tokens that SignJWT would refuse (string time claims, odd headers).
 */

import { CompactSign, base64url } from 'jose';
import type { CryptoKey, KeyObject } from 'jose';

/** Signs `payload` (any JSON value) under `header`. */
export function signRaw(
  header: Record<string, unknown>,
  payload: unknown,
  key: CryptoKey | KeyObject | Uint8Array,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes)
    .setProtectedHeader(header as { alg: string })
    .sign(key);
}

/** Builds `header.payload.signature` from raw parts, unsigned. */
export function rawToken(
  header: unknown,
  payload: unknown,
  signature = '',
): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(payload)}.${signature}`;
}
