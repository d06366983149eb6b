/**
 * Sealing of values kept at rest in the session store: AES-256-GCM from
 * node:crypto with a random 96-bit IV (NIST SP 800-38D) and the context
 * string as additional authenticated data, so a sealed value cannot be
 * moved to another purpose unnoticed.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/** True for a Buffer of exactly 32 bytes. */
export function isSealingKey(key: unknown): key is Buffer {
  return Buffer.isBuffer(key) && key.length === KEY_BYTES;
}

/** Encrypts `plaintext` bound to `context`. */
export function seal(key: Buffer, context: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
  ]);
  const tag = cipher.getAuthTag();
  const encoded = [iv, body, tag].map((part) => part.toString('base64url'));
  return [VERSION, ...encoded].join('.');
}

/**
 * Decrypts a value sealed with the same key and context; undefined when it
 * was altered, sealed under another key or context, or malformed.
 */
export function open(
  key: Buffer,
  context: string,
  sealed: string,
): string | undefined {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;

  const [, iv, body, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
  try {
    // A fixed tag length: GCM would otherwise accept a truncated tag.
    const decipher = createDecipheriv(ALGORITHM, key, iv!, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(body!), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
