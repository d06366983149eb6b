/**
 * Where one issuer's verification keys come from: a fixed set (a static
 * JWKS or an HMAC secret) or a remote set (see remote-key-source.ts). Each
 * issuer has its own source, so keys are never shared between issuers.
 */

import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { keyFitsAlgorithm } from './algorithms.js';
import { TokenRejectedError } from './errors.js';
import { lookupFailure, lookupKey } from './key-set.js';
import type { KeySet } from './key-set.js';

/** A source of verification keys for one issuer. */
export interface KeySource {
  /**
   * Returns the key for a token's `kid` and `alg`.
   *
   * @throws TokenRejectedError when no key fits.
   * @throws GuardUnavailableError (503) when the keys cannot be loaded.
   */
  selectKey(kid: string | undefined, alg: string): Promise<KeyObject>;
  /**
   * The key set as it is now, when it can be used without waiting (loaded
   * and younger than the refresh age); undefined otherwise. The same
   * object is returned until the set is replaced.
   */
  freshSet(): KeySet | undefined;
  /** Loads the keys now; resolves when they are ready. */
  preload(): Promise<void>;
  /** Stops any background refresh. */
  close(): void;
}

/** A source over a set fixed at startup (the `jwks` option). */
export function createStaticKeySource(set: KeySet): KeySource {
  return {
    async selectKey(kid, alg) {
      const lookup = lookupKey(set, kid, alg);
      if ('found' in lookup) return lookup.found;
      throw lookupFailure(lookup.missing);
    },
    freshSet: () => set,
    async preload() {},
    close() {},
  };
}

/**
 * A source over one HMAC secret (the `secret` option). The secret answers
 * every `kid`, but only for the HS algorithms.
 */
export function createSecretKeySource(secret: Uint8Array): KeySource {
  const key: KeyObject = createSecretKey(secret);
  const set: KeySet = { entries: [{ kid: undefined, alg: undefined, key }] };

  return {
    async selectKey(_kid, alg) {
      if (keyFitsAlgorithm(key, alg)) return key;
      throw new TokenRejectedError('JWT_GUARD_KEY_ALG_MISMATCH');
    },
    freshSet: () => set,
    async preload() {},
    close() {},
  };
}
