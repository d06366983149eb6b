/**
 * The key options of `createTokenService`: where signing keys come from
 * (a configured key, a signer, a key store, or keys generated in memory),
 * how they are sealed at rest, and the timings of their rotation.
 */

import type { KeyStore } from '@portcullis/stores';

import { configError, positiveInteger } from '@portcullis/core';

import { checkKeyEncryptionKeys } from './key-encryption.js';
import type { KeyEncryptionKey } from './key-encryption.js';
import { PACKAGE_NAME } from './package-name.js';
import { checkSigner } from './signer.js';
import type { Signer } from './signer.js';

/** Seconds in a day. */
const DAY_SECONDS = 24 * 3600;
const DEFAULT_INTERVAL_SECONDS = 30 * DAY_SECONDS;
const DEFAULT_PENDING_SECONDS = 3600;
const DEFAULT_REFRESH_SECONDS = 30;
const DEFAULT_RETIRE_MARGIN_SECONDS = 3600;
const DEFAULT_JWKS_MAX_AGE_SECONDS = 300;
const ROTATION_KEYS = [
  'intervalSeconds',
  'pendingSeconds',
  'retiredSeconds',
  'refreshSeconds',
] as const;

/** Names of the key options, for the unknown-option check. */
export const KEY_OPTION_NAMES = [
  'signer',
  'keyStore',
  'keyEncryptionKeys',
  'keyRotation',
  'jwksMaxAgeSeconds',
] as const;

/** Timings of the key ring; see the README's "Key lifecycle". */
export interface KeyRotationOptions {
  /** How long a key signs before its successor takes over. Default: 30 days. */
  intervalSeconds?: number;
  /**
   * How long a new key is published before it signs. At least
   * `jwksMaxAgeSeconds + refreshSeconds`. Default: 3600, or that sum when
   * it is larger.
   */
  pendingSeconds?: number;
  /**
   * How long a retired key stays published. At least
   * `accessTokenTtlSeconds + refreshSeconds`. Default:
   * `accessTokenTtlSeconds + refreshSeconds + 3600`.
   */
  retiredSeconds?: number;
  /** How often each instance re-reads the key store. Default: 30. */
  refreshSeconds?: number;
}

/** The key options of `createTokenService`. */
export interface KeyOptions {
  /**
   * Signs every token instead of a local key, for a key held in a KMS or
   * HSM. Excludes `signingKey`, `keyStore` and `keyRotation`. Default: none.
   */
  signer?: Signer;
  /**
   * Keeps the key ring shared by every instance; keys are generated,
   * rotated and removed in it. Requires `keyEncryptionKeys`. Default: a
   * ring in process memory.
   */
  keyStore?: KeyStore;
  /**
   * Key-encryption keys sealing the private keys in `keyStore` with
   * AES-256-GCM: the first seals new keys, each opens the keys that name
   * its `id`. Required with `keyStore`.
   */
  keyEncryptionKeys?: readonly KeyEncryptionKey[];
  /** Rotation timings of generated keys; see {@link KeyRotationOptions}. */
  keyRotation?: KeyRotationOptions;
  /**
   * The JWKS `Cache-Control` max-age, in seconds. Default: 300.
   */
  jwksMaxAgeSeconds?: number;
}

/** The normalised timings, in milliseconds. */
export interface KeyRotationConfig {
  readonly intervalMs: number;
  readonly pendingMs: number;
  readonly retiredMs: number;
  readonly refreshMs: number;
  /** The longest access-token lifetime the ring keeps keys for. */
  readonly maxTokenTtlSeconds: number;
}

/** The normalised key options. */
export interface KeyConfig {
  readonly signer: Signer | undefined;
  readonly keyStore: KeyStore | undefined;
  readonly keyEncryptionKeys: readonly KeyEncryptionKey[] | undefined;
  readonly keyRotation: KeyRotationConfig;
  readonly jwksMaxAgeSeconds: number;
}

function fail(path: string, expected: string): TypeError {
  return configError(PACKAGE_NAME, path, expected);
}

function checkKeyStore(value: unknown): KeyStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Record<string, unknown> | null;
  const methods = ['list', 'put', 'updateState', 'remove'];
  if (methods.every((m) => typeof store?.[m] === 'function')) {
    return value as KeyStore;
  }

  throw fail('keyStore', `must be a KeyStore with ${methods.join(', ')}`);
}

function checkSources(input: Record<string, unknown>): void {
  const fixed = input.signingKey !== undefined || input.signer !== undefined;
  if (input.signingKey !== undefined && input.signer !== undefined) {
    throw fail('signer', 'excludes "signingKey": configure one of them');
  }

  if (fixed && input.keyStore !== undefined) {
    throw fail('keyStore', 'excludes "signingKey" and "signer"');
  }

  if (fixed && input.keyRotation !== undefined) {
    throw fail(
      'keyRotation',
      'applies to generated keys only, not to "signingKey" or "signer"',
    );
  }

  if (input.keyStore !== undefined && input.keyEncryptionKeys === undefined) {
    throw fail(
      'keyEncryptionKeys',
      'is required with "keyStore": private keys are stored encrypted',
    );
  }

  if (input.keyStore === undefined && input.keyEncryptionKeys !== undefined) {
    throw fail('keyEncryptionKeys', 'applies only with "keyStore"');
  }
}

function checkRotation(
  value: unknown,
  accessTokenTtlSeconds: number,
  jwksMaxAgeSeconds: number,
): KeyRotationConfig {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw fail('keyRotation', 'must be an object');
  }

  const input = (value ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(input).find(
    (k) => !(ROTATION_KEYS as readonly string[]).includes(k),
  );
  if (unknown !== undefined) {
    throw fail(`keyRotation.${unknown}`, 'is not a known option');
  }

  const int = (name: string, fallback: number): number =>
    positiveInteger(PACKAGE_NAME, `keyRotation.${name}`, input[name], fallback);
  const refresh = int('refreshSeconds', DEFAULT_REFRESH_SECONDS);
  const pending = int(
    'pendingSeconds',
    Math.max(DEFAULT_PENDING_SECONDS, jwksMaxAgeSeconds + refresh),
  );
  const interval = int('intervalSeconds', DEFAULT_INTERVAL_SECONDS);
  const retired = int(
    'retiredSeconds',
    accessTokenTtlSeconds + refresh + DEFAULT_RETIRE_MARGIN_SECONDS,
  );
  // A verifier may hold a JWKS fetched from an instance that has not yet
  // re-read the store: the new key must outlive both delays.
  if (pending < jwksMaxAgeSeconds + refresh) {
    throw fail(
      'keyRotation.pendingSeconds',
      'must be at least jwksMaxAgeSeconds + keyRotation.refreshSeconds',
    );
  }

  if (retired < accessTokenTtlSeconds + refresh) {
    throw fail(
      'keyRotation.retiredSeconds',
      'must be at least accessTokenTtlSeconds + keyRotation.refreshSeconds',
    );
  }

  if (interval < pending) {
    throw fail(
      'keyRotation.intervalSeconds',
      'must be at least keyRotation.pendingSeconds',
    );
  }

  return Object.freeze({
    intervalMs: interval * 1000,
    pendingMs: pending * 1000,
    retiredMs: retired * 1000,
    refreshMs: refresh * 1000,
    maxTokenTtlSeconds: retired - refresh,
  });
}

function checkSignerAlgorithm(
  signer: Signer | undefined,
  algorithm: unknown,
): void {
  if (signer === undefined || algorithm === undefined) return;
  if (signer.algorithm !== algorithm) {
    throw fail('algorithm', `must be the signer's "${signer.algorithm}"`);
  }
}

/**
 * Validates the key options of `input`.
 *
 * @throws TypeError naming the option when one is malformed, or two
 * exclude each other.
 */
export function checkKeyOptions(
  input: Record<string, unknown>,
  accessTokenTtlSeconds: number,
): KeyConfig {
  checkSources(input);
  const signer = checkSigner(input.signer);
  checkSignerAlgorithm(signer, input.algorithm);
  const jwksMaxAgeSeconds = positiveInteger(
    PACKAGE_NAME,
    'jwksMaxAgeSeconds',
    input.jwksMaxAgeSeconds,
    DEFAULT_JWKS_MAX_AGE_SECONDS,
  );
  return Object.freeze({
    signer,
    keyStore: checkKeyStore(input.keyStore),
    keyEncryptionKeys: checkKeyEncryptionKeys(input.keyEncryptionKeys),
    keyRotation: checkRotation(
      input.keyRotation,
      accessTokenTtlSeconds,
      jwksMaxAgeSeconds,
    ),
    jwksMaxAgeSeconds,
  });
}
