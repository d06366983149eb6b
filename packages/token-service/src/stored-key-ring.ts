/**
 * The key ring kept in a KeyStore and shared by every instance: each
 * instance re-reads the store on a timer, applies the rotation rules of
 * key-rotation-plan.ts with the store's compare-and-set, and signs with
 * the key those rules make current.
 */

import type { JSONWebKeySet, JWK } from 'jose';

import { TemporarilyUnavailableError, configError } from '@portcullis/core';
import type { Logger } from '@portcullis/core';
import type { KeyStore, SigningKeyRecord } from '@portcullis/stores';

import type { KeyEncryptionKey } from './key-encryption.js';
import type { KeyRotationConfig } from './key-options.js';
import { newKeyRecord, openKeyRecord, publicJwkOf } from './key-record.js';
import { currentKey, planRotation } from './key-rotation-plan.js';
import type { RingAction } from './key-rotation-plan.js';
import type { KeyRing, KeyRotation } from './key-ring.js';
import { PACKAGE_NAME } from './package-name.js';
import type { Signer } from './signer.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

/** Rounds of plan-and-apply per refresh; races settle in two. */
const MAX_ROUNDS = 4;

/** What the stored ring needs. */
export interface StoredKeyRingOptions {
  readonly store: KeyStore;
  /** The first seals new keys; every one opens. */
  readonly keks: readonly KeyEncryptionKey[];
  /** The algorithm of new keys. */
  readonly algorithm: SigningAlgorithm;
  readonly rotation: KeyRotationConfig;
  readonly logger: Logger;
}

interface RingView {
  readonly loadedAtMs: number;
  readonly signer: Signer | undefined;
  readonly jwks: JSONWebKeySet;
  readonly algorithms: readonly string[];
  readonly kids: string;
}

function unavailable(description: string, cause?: unknown): Error {
  return new TemporarilyUnavailableError(description, { cause });
}

function publishedKeys(records: readonly SigningKeyRecord[]): JWK[] {
  return records
    .map(publicJwkOf)
    .filter((jwk): jwk is JWK => jwk !== undefined)
    .map((jwk) => Object.freeze({ ...jwk }));
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
  const { store, keks, algorithm, rotation, logger } = options;
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

  const apply = async (action: RingAction, nowMs: number): Promise<void> => {
    switch (action.type) {
      case 'create': {
        const record = await newKeyRecord(
          algorithm,
          keks[0] as KeyEncryptionKey,
          nowMs,
          action.activateAfterMs,
        );
        if (await store.put(record)) {
          logger.info('signing key created', { kid: record.kid });
        }
        return;
      }
      case 'promote':
        if (
          !(await store.updateState(action.kid, 'pending', 'active', nowMs))
        ) {
          return;
        }

        logger.info('signing key activated', { kid: action.kid });
        for (const kid of action.retire) {
          await store.updateState(kid, 'active', 'retired', nowMs);
        }
        return;
      case 'retire':
        await store.updateState(action.kid, 'active', 'retired', nowMs);
        return;
      case 'remove':
        await store.remove(action.kid);
        logger.info('signing key removed', { kid: action.kid });
    }
  };

  const maintain = async (): Promise<SigningKeyRecord[]> => {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const records = await store.list();
      const nowMs = Date.now();
      const actions = planRotation(records, nowMs, rotation);
      if (actions.length === 0) return records;
      for (const action of actions) await apply(action, nowMs);
    }
    return store.list();
  };

  const currentSigner = async (
    records: readonly SigningKeyRecord[],
  ): Promise<Signer | undefined> => {
    const current = currentKey(records);
    if (current === undefined) return undefined;
    try {
      return await openSigner(current);
    } catch (error) {
      logger.error('signing key does not open', {
        kid: current.kid,
        reason: (error as Error).message,
      });
      return undefined;
    }
  };

  const load = async (): Promise<void> => {
    const loadedAtMs = Date.now();
    const records = await maintain();
    const signer = await currentSigner(records);
    const keys = publishedKeys(records);
    const kids = keys.map((k) => k.kid).join(' ');
    for (const kid of signers.keys()) {
      if (!records.some((r) => r.kid === kid)) signers.delete(kid);
    }

    const same = view !== undefined && view.kids === kids;
    view = {
      loadedAtMs,
      signer,
      kids,
      jwks: same
        ? view!.jwks
        : Object.freeze({ keys: Object.freeze(keys) as JWK[] }),
      algorithms: same
        ? view!.algorithms
        : Object.freeze([...new Set(keys.map((k) => k.alg as string))]),
    };
  };

  const refresh = (maxAgeMs = 0): Promise<void> => {
    if (inflight !== undefined) return inflight;
    if (view !== undefined && Date.now() - view.loadedAtMs < maxAgeMs) {
      return Promise.resolve();
    }

    inflight = load().finally(() => {
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
    algorithms: () => (view as RingView).algorithms,
    refresh,
    async rotate(): Promise<KeyRotation> {
      const nowMs = Date.now();
      const activatesAtMs = nowMs + rotation.pendingMs;
      const record = await newKeyRecord(
        algorithm,
        keks[0] as KeyEncryptionKey,
        nowMs,
        activatesAtMs,
      );
      await store.put(record);
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
