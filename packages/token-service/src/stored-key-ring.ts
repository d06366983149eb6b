/**
 * The key ring kept in a KeyStore and shared by every instance: each
 * instance re-reads the store on a timer, applies the rotation rules (see
 * key-ring-maintenance.ts), and signs with the key those rules make
 * current.
 */

import type { JSONWebKeySet, JWK } from 'jose';

import { TemporarilyUnavailableError, configError } from '@portcullis/core';
import type { SigningKeyRecord } from '@portcullis/stores';

import { createPendingKey, maintainRing } from './key-ring-maintenance.js';
import type { StoredKeyRingOptions } from './key-ring-maintenance.js';
import { openKeyRecord } from './key-record.js';
import { currentKey } from './key-rotation-plan.js';
import type { KeyRing, KeyRotation } from './key-ring.js';
import { PACKAGE_NAME } from './package-name.js';
import type { Signer } from './signer.js';

export type { StoredKeyRingOptions } from './key-ring-maintenance.js';

interface RingView {
  readonly loadedAtMs: number;
  readonly signer: Signer | undefined;
  readonly jwks: JSONWebKeySet;
  readonly kids: string;
}

function unavailable(description: string, cause?: unknown): Error {
  return new TemporarilyUnavailableError(description, { cause });
}

/** The next view; the set objects stay the same while the kids do. */
function nextView(
  previous: RingView | undefined,
  published: readonly Signer[],
  signer: Signer | undefined,
  loadedAtMs: number,
): RingView {
  const keys = published.map((s) => Object.freeze({ ...s.publicJwk }));
  const kids = keys.map((k) => k.kid).join(' ');
  if (previous !== undefined && previous.kids === kids) {
    return { ...previous, loadedAtMs, signer };
  }

  return {
    loadedAtMs,
    signer,
    kids,
    jwks: Object.freeze({ keys: Object.freeze(keys) as JWK[] }),
  };
}

/** Opens every pending and active key, so a wrong KEK fails at start. */
async function openAll(
  records: readonly SigningKeyRecord[],
  open: (record: SigningKeyRecord) => Promise<Signer>,
): Promise<void> {
  for (const record of records) {
    if (record.state === 'retired') continue;
    try {
      await open(record);
    } catch (cause) {
      throw Object.assign(
        configError(
          PACKAGE_NAME,
          'keyEncryptionKeys',
          `cannot open the stored keys: ${(cause as Error).message}`,
        ),
        { cause },
      );
    }
  }
}

/**
 * Creates the ring and reads it once: an empty store gets its first key,
 * and every pending or active key is opened, so a wrong key-encryption
 * key fails here.
 *
 * @throws TypeError naming `keyEncryptionKeys` (as a rejection) when a
 * stored key does not open.
 * @throws the store's error (as a rejection) when the store fails.
 */
export async function createStoredKeyRing(
  options: StoredKeyRingOptions,
): Promise<KeyRing> {
  const { store, keks, rotation, logger } = options;
  const signers = new Map<string, Promise<Signer>>();
  let view: RingView | undefined;
  let inflight: Promise<void> | undefined;

  const openSigner = (record: SigningKeyRecord): Promise<Signer> => {
    let signer = signers.get(record.kid);
    if (signer === undefined) {
      signer = openKeyRecord(record, keks);
      signer.catch(() => signers.delete(record.kid));
      signers.set(record.kid, signer);
    }
    return signer;
  };

  // Only keys that open are published: a record someone wrote into the
  // store without the KEK never reaches the JWKS.
  const openRecords = async (records: readonly SigningKeyRecord[]) => {
    const opened = new Map<string, Signer>();
    for (const record of records) {
      try {
        opened.set(record.kid, await openSigner(record));
      } catch (error) {
        logger.error('signing key does not open', {
          kid: record.kid,
          reason: (error as Error).message,
        });
      }
    }
    return opened;
  };

  const load = async (): Promise<void> => {
    const loadedAtMs = Date.now();
    const records = await maintainRing(options);
    const opened = await openRecords(records);
    const current = currentKey(records);
    const signer = current === undefined ? undefined : opened.get(current.kid);
    for (const kid of signers.keys()) {
      if (!opened.has(kid)) signers.delete(kid);
    }
    view = nextView(view, [...opened.values()], signer, loadedAtMs);
  };

  const refresh = (maxAgeMs = 0): Promise<void> => {
    if (view !== undefined && Date.now() - view.loadedAtMs < maxAgeMs) {
      return Promise.resolve();
    }

    inflight ??= load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  await refresh();
  await openAll(await store.list(), openSigner);
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => {
      logger.warn('key ring refresh failed', { reason: (error as Error).name });
    });
  }, rotation.refreshMs);
  timer.unref();

  return Object.freeze({
    async signer() {
      try {
        await refresh(rotation.refreshMs);
      } catch (cause) {
        throw unavailable('the key store is temporarily unavailable', cause);
      }

      if (view?.signer === undefined) {
        throw unavailable('no signing key is available');
      }
      return view.signer;
    },
    jwks: () => (view as RingView).jwks,
    refresh,
    async rotate(): Promise<KeyRotation> {
      const nowMs = Date.now();
      const activatesAtMs = nowMs + rotation.pendingMs;
      const record = await createPendingKey(options, nowMs, activatesAtMs);
      if (record === undefined) {
        throw unavailable('the key store refused the new key');
      }

      logger.info('signing key rotation requested', { kid: record.kid });
      // A refresh that started before the put may miss the new key.
      await inflight?.catch(() => undefined);
      await refresh();
      return { kid: record.kid, activatesAtMs };
    },
    close: () => clearInterval(timer),
    maxTokenTtlSeconds: rotation.maxTokenTtlSeconds,
  });
}
