/**
 * The `data` of a signing-key record in a KeyStore: the algorithm, the
 * public JWK, when the key may start signing, and the private JWK sealed
 * under a key-encryption key. No private member is ever stored in clear.
 */

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

import type { SigningKeyRecord } from '@portcullis/stores';

import {
  KeyDecryptionError,
  openPrivateKey,
  sealPrivateKey,
} from './key-encryption.js';
import type { KeyEncryptionKey, SealedPrivateKey } from './key-encryption.js';
import { generatePrivateJwk, importSigningKey } from './signing-key.js';
import type { Signer } from './signer.js';
import { SIGNING_ALGORITHMS } from './signing-key-shape.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

const RECORD_FORMAT = 1;

/** The record's data as this package writes it. */
export interface KeyRecordData {
  format: typeof RECORD_FORMAT;
  alg: SigningAlgorithm;
  /** Public members, `kid`, `alg`, `use`. */
  publicJwk: JWK;
  /** Epoch ms before which the key does not start signing. */
  activateAfterMs: number;
  privateKey: SealedPrivateKey;
}

/**
 * Generates a key of `algorithm` and returns its pending record, sealed
 * under `kek`.
 */
export async function newKeyRecord(
  algorithm: SigningAlgorithm,
  kek: KeyEncryptionKey,
  nowMs: number,
  activateAfterMs: number,
): Promise<SigningKeyRecord> {
  const privateJwk = await generatePrivateJwk(algorithm);
  const { publicJwk } = await importSigningKey(privateJwk, algorithm);
  const kid = publicJwk.kid as string;
  const data: KeyRecordData = {
    format: RECORD_FORMAT,
    alg: algorithm,
    publicJwk: { ...publicJwk },
    activateAfterMs,
    privateKey: sealPrivateKey(privateJwk, kid, kek),
  };
  return {
    kid,
    state: 'pending',
    data: data as unknown as Record<string, unknown>,
    createdAtMs: nowMs,
    stateChangedAtMs: nowMs,
  };
}

/** The record's public JWK, or undefined when the record is malformed. */
export function publicJwkOf(record: SigningKeyRecord): JWK | undefined {
  const { format, alg, publicJwk } = record.data as Partial<KeyRecordData>;
  if (format !== RECORD_FORMAT) return undefined;
  if (!SIGNING_ALGORITHMS.includes(alg as SigningAlgorithm)) return undefined;
  if (typeof publicJwk !== 'object' || publicJwk === null) return undefined;
  if (publicJwk.kid !== record.kid || publicJwk.alg !== alg) return undefined;
  return publicJwk;
}

/**
 * Opens the record's private key and returns a local signer for it. Only
 * a KEK holder can seal a key, so a record that opens was written by an
 * instance of this service, not by someone with write access to the store.
 *
 * @throws KeyDecryptionError when the key does not open with `keks`, or
 * what it holds is not the key the record publishes.
 */
export async function openKeyRecord(
  record: SigningKeyRecord,
  keks: readonly KeyEncryptionKey[],
): Promise<Signer> {
  const publicJwk = publicJwkOf(record);
  const data = record.data as unknown as KeyRecordData;
  if (publicJwk === undefined) {
    throw new KeyDecryptionError(`signing key "${record.kid}" is malformed`);
  }

  const privateJwk = openPrivateKey(data.privateKey, record.kid, keks);
  let key;
  try {
    key = await importSigningKey(privateJwk, data.alg, 'keyStore');
  } catch (cause) {
    throw new KeyDecryptionError(
      `signing key "${record.kid}" holds an unusable private key`,
      { cause },
    );
  }

  // The kid is the RFC 7638 thumbprint: the sealed key, the record's kid
  // and the record's public JWK must all name the same key.
  const published = await calculateJwkThumbprint(publicJwk, 'sha256');
  if (key.publicJwk.kid !== record.kid || published !== record.kid) {
    throw new KeyDecryptionError(
      `signing key "${record.kid}" holds another key than it publishes`,
    );
  }
  return key.signer;
}
