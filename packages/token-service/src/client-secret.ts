/**
 * Client secrets at rest: scrypt (node:crypto) with a random salt, encoded
 * as `scrypt$N$r$p$salt$hash` (base64url). Verification recomputes with the
 * stored parameters and compares in constant time.
 */

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

const COST = 16384;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
const MAX_COST = 1 << 20;
const STORED_FORM =
  /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(
  secret: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** A parsed stored secret. */
export interface StoredSecret {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Parses the stored form, or returns undefined when it is malformed. */
export function parseStoredSecret(value: unknown): StoredSecret | undefined {
  if (typeof value !== 'string') return undefined;
  const match = STORED_FORM.exec(value);
  if (match === null) return undefined;
  const cost = Number(match[1]);
  const blockSize = Number(match[2]);
  const parallelism = Number(match[3]);
  const salt = Buffer.from(match[4] ?? '', 'base64url');
  const hash = Buffer.from(match[5] ?? '', 'base64url');
  const powerOfTwo = (cost & (cost - 1)) === 0;
  if (!powerOfTwo || cost < 2 || cost > MAX_COST) return undefined;
  if (blockSize < 1 || blockSize > 32 || parallelism < 1) return undefined;
  if (parallelism > 16 || salt.length < 8 || hash.length < 16) return undefined;
  return { cost, blockSize, parallelism, salt, hash };
}

/**
 * Hashes a client secret into the form `clients[].secretHash` expects.
 *
 * @example
 * const secretHash = await hashClientSecret(process.env.WEB_SECRET);
 */
export async function hashClientSecret(secret: string): Promise<string> {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      '@portcullis/token-service: hashClientSecret secret must be a ' +
        'non-empty string',
    );
  }

  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, KEY_LENGTH, {
    N: COST,
    r: BLOCK_SIZE,
    p: PARALLELISM,
  });
  return [
    'scrypt',
    COST,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** True when `secret` matches `stored`; constant-time comparison. */
export async function verifyClientSecret(
  secret: string,
  stored: StoredSecret,
): Promise<boolean> {
  const computed = await derive(secret, stored.salt, stored.hash.length, {
    N: stored.cost,
    r: stored.blockSize,
    p: stored.parallelism,
    maxmem: 256 * stored.cost * stored.blockSize + 1024 * 1024,
  });
  return timingSafeEqual(computed, stored.hash);
}
