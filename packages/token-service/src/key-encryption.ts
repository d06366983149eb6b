/**
 * Encryption at rest of stored private keys: AES-256-GCM (NIST SP 800-38D)
 * under a key-encryption key (KEK), with the key's `kid` as additional
 * authenticated data, so a sealed key moved to another record does not
 * open.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { JWK } from 'jose';

import { configError } from '@portcullis/core';

import { PACKAGE_NAME } from './package-name.js';

const CIPHER = 'aes-256-gcm';
const KEK_LENGTH_BYTES = 32;
const IV_LENGTH_BYTES = 12;
const TAG_LENGTH_BYTES = 16;
const MAX_KEK_ID_LENGTH = 64;
const OPTION = 'keyEncryptionKeys';

/** A key-encryption key as configured. */
export interface KeyEncryptionKey {
  /** Names the key in each record it seals, such as `kek-2026-01`. */
  id: string;
  /** 32 random bytes. */
  key: Uint8Array;
}

/** A private key sealed under a KEK, as kept in a key record. */
export interface SealedPrivateKey {
  /** Always `A256GCM`. */
  enc: 'A256GCM';
  /** The `id` of the KEK that sealed it. */
  kek: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** Raised when a sealed key does not open; never carries key material. */
export class KeyDecryptionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyDecryptionError';
  }
}

function additionalData(kid: string): Buffer {
  return Buffer.from(`portcullis/token-service signing key ${kid}`, 'utf8');
}

function checkEntry(entry: unknown, index: number): KeyEncryptionKey {
  const path = `${OPTION}[${index}]`;
  const { id, key } = (entry ?? {}) as Partial<KeyEncryptionKey>;
  if (typeof id !== 'string' || id === '' || id.length > MAX_KEK_ID_LENGTH) {
    throw configError(
      PACKAGE_NAME,
      `${path}.id`,
      `must be a non-empty string of at most ${MAX_KEK_ID_LENGTH} characters`,
    );
  }

  if (!(key instanceof Uint8Array) || key.length !== KEK_LENGTH_BYTES) {
    const found =
      key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw configError(
      PACKAGE_NAME,
      `${path}.key`,
      `must be a Uint8Array of ${KEK_LENGTH_BYTES} random bytes, got ${found}`,
    );
  }

  return Object.freeze({ id, key: Buffer.from(key) });
}

/**
 * Checks the configured KEKs: the first seals new keys, every one opens.
 *
 * @throws TypeError naming `keyEncryptionKeys` when the list is empty, an
 * entry is malformed, or two entries share an id.
 */
export function checkKeyEncryptionKeys(
  value: unknown,
): readonly KeyEncryptionKey[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw configError(
      PACKAGE_NAME,
      OPTION,
      'must be a non-empty array of { id, key }',
    );
  }

  const keys = value.map(checkEntry);
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw configError(PACKAGE_NAME, OPTION, 'must not repeat an id');
  }

  return Object.freeze(keys);
}

/** Seals `privateJwk` of `kid` under `kek`. */
export function sealPrivateKey(
  privateJwk: JWK,
  kid: string,
  kek: KeyEncryptionKey,
): SealedPrivateKey {
  const iv = randomBytes(IV_LENGTH_BYTES);
  const cipher = createCipheriv(CIPHER, kek.key, iv, {
    authTagLength: TAG_LENGTH_BYTES,
  });
  cipher.setAAD(additionalData(kid));
  const plaintext = Buffer.from(JSON.stringify(privateJwk), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  plaintext.fill(0);
  return {
    enc: 'A256GCM',
    kek: kek.id,
    iv: iv.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

/**
 * Opens the sealed private key of `kid` with the KEK it names.
 *
 * @throws KeyDecryptionError when no configured KEK has its id, or the
 * KEK is wrong, or the record was altered or belongs to another kid.
 */
export function openPrivateKey(
  sealed: SealedPrivateKey,
  kid: string,
  keks: readonly KeyEncryptionKey[],
): JWK {
  const kek = keks.find((candidate) => candidate.id === sealed.kek);
  if (kek === undefined) {
    throw new KeyDecryptionError(
      `signing key "${kid}" is sealed under key-encryption key ` +
        `"${String(sealed.kek)}", which is not configured`,
    );
  }

  try {
    const decipher = createDecipheriv(
      CIPHER,
      kek.key,
      Buffer.from(sealed.iv, 'base64url'),
      { authTagLength: TAG_LENGTH_BYTES },
    );
    decipher.setAAD(additionalData(kid));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(plaintext.toString('utf8')) as JWK;
  } catch (cause) {
    throw new KeyDecryptionError(
      `signing key "${kid}" does not open with key-encryption key ` +
        `"${kek.id}": the key is wrong or the record was altered`,
      { cause },
    );
  }
}
