/**
 * The key ring: the keys the service publishes in its JWKS (RFC 7517
 * section 5) and the one it signs with. A static ring holds one
 * configured key or signer; a stored ring follows a KeyStore.
 */

import type { JSONWebKeySet } from 'jose';

import { probeSigner } from './signer.js';
import type { Signer } from './signer.js';

/** What `rotateKeys` started. */
export interface KeyRotation {
  /** The new key, published as pending. */
  kid: string;
  /** When it may start signing, in epoch milliseconds. */
  activatesAtMs: number;
}

/** The keys of the service, as every part of it sees them. */
export interface KeyRing {
  /**
   * The signer of new tokens. A stored ring re-reads the store first when
   * its view is older than the refresh interval.
   *
   * @throws TemporarilyUnavailableError (503) when the store fails or no
   * key can sign.
   */
  signer(): Promise<Signer>;
  /** The published keys; the same frozen object until the set changes. */
  jwks(): JSONWebKeySet;
  /** Re-reads the ring unless it was read within `maxAgeMs` (default 0). */
  refresh(maxAgeMs?: number): Promise<void>;
  /**
   * Publishes a new key that becomes active after the pending time.
   *
   * @throws TypeError (as a rejection) on a static ring.
   */
  rotate(): Promise<KeyRotation>;
  /** Stops the refresh timer. */
  close(): void;
  /** The longest access-token lifetime the ring keeps keys published for. */
  readonly maxTokenTtlSeconds: number;
}

/**
 * Creates a ring of one signer. A custom signer signs a probe first, so a
 * signer whose key does not match its `publicJwk` fails at start.
 *
 * @throws TypeError naming `signer` (as a rejection) when the probe fails.
 */
export async function createStaticKeyRing(
  signer: Signer,
  options: { probe: boolean; rotateError: string },
): Promise<KeyRing> {
  if (options.probe) await probeSigner(signer);
  const jwks = Object.freeze({
    keys: [Object.freeze({ ...signer.publicJwk })],
  });
  return Object.freeze({
    signer: async () => signer,
    jwks: () => jwks,
    refresh: async () => {},
    rotate: () => Promise.reject(new TypeError(options.rotateError)),
    close: () => {},
    maxTokenTtlSeconds: Number.POSITIVE_INFINITY,
  });
}
