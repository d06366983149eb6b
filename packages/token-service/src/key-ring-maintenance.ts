/**
 * Applies the rotation rules of key-rotation-plan.ts to a KeyStore: each
 * step is a put or a compare-and-set, so an instance that loses a race
 * changes nothing and sees the winner's result on its next read.
 */

import type { Logger } from '@portcullis/core';
import type { KeyStore, SigningKeyRecord } from '@portcullis/stores';

import type { KeyEncryptionKey } from './key-encryption.js';
import type { KeyRotationConfig } from './key-options.js';
import { newKeyRecord } from './key-record.js';
import { planRotation } from './key-rotation-plan.js';
import type { RingAction } from './key-rotation-plan.js';
import type { SigningAlgorithm } from './signing-key-shape.js';

/** Rounds of plan-and-apply per maintenance; races settle in two. */
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

/** Generates a pending key that may sign from `activateAfterMs` on. */
export async function createPendingKey(
  options: StoredKeyRingOptions,
  nowMs: number,
  activateAfterMs: number,
): Promise<SigningKeyRecord | undefined> {
  const kek = options.keks[0] as KeyEncryptionKey;
  const record = await newKeyRecord(
    options.algorithm,
    kek,
    nowMs,
    activateAfterMs,
  );
  if (!(await options.store.put(record))) return undefined;

  options.logger.info('signing key created', { kid: record.kid });
  return record;
}

async function applyAction(
  options: StoredKeyRingOptions,
  action: RingAction,
  nowMs: number,
): Promise<void> {
  const { store, logger } = options;
  switch (action.type) {
    case 'create':
      await createPendingKey(options, nowMs, action.activateAfterMs);
      return;
    case 'promote':
      if (!(await store.updateState(action.kid, 'pending', 'active', nowMs))) {
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
}

/**
 * Reads the ring and applies the steps the rules want until none is left
 * (at most four rounds), and returns the records last read.
 *
 * @throws the store's error when the store fails.
 */
export async function maintainRing(
  options: StoredKeyRingOptions,
): Promise<SigningKeyRecord[]> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const records = await options.store.list();
    const nowMs = Date.now();
    const actions = planRotation(records, nowMs, options.rotation);
    if (actions.length === 0) return records;
    for (const action of actions) await applyAction(options, action, nowMs);
  }
  return options.store.list();
}
