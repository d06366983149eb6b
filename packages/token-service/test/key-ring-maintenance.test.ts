import { randomBytes } from 'node:crypto';

import { silentLogger } from '@portcullis/core';
import { createMemoryKeyStore } from '@portcullis/stores';
import type { KeyStore, SigningKeyRecord } from '@portcullis/stores';

import { checkKeyOptions } from '../src/key-options.js';
import { createPendingKey, maintainRing } from '../src/key-ring-maintenance.js';
import type { StoredKeyRingOptions } from '../src/key-ring-maintenance.js';
import { newKeyRecord } from '../src/key-record.js';

const KEK = { id: 'kek-1', key: randomBytes(32) };
const { keyRotation } = checkKeyOptions({}, 300);

function optionsFor(store: KeyStore): StoredKeyRingOptions {
  return {
    store,
    keks: [KEK],
    algorithm: 'ES256',
    rotation: keyRotation,
    logger: silentLogger,
  };
}

function active(records: SigningKeyRecord[]): string[] {
  return records.filter((r) => r.state === 'active').map((r) => r.kid);
}

describe('maintainRing', () => {
  it('gives an empty store one active key', async () => {
    const store = createMemoryKeyStore();

    const records = await maintainRing(optionsFor(store));

    expect(records).toHaveLength(1);
    expect(active(records)).toEqual([records[0]?.kid]);
  });

  it('settles ten concurrent maintainers on one active key', async () => {
    const store = createMemoryKeyStore();

    await Promise.all(
      Array.from({ length: 10 }, () => maintainRing(optionsFor(store))),
    );
    const records = await maintainRing(optionsFor(store));

    expect(active(records)).toHaveLength(1);
  });

  it('retires the older of two active keys', async () => {
    const store = createMemoryKeyStore();
    const older = await newKeyRecord('ES256', KEK, 0, 0);
    const newer = await newKeyRecord('ES256', KEK, 0, 0);
    await store.put({ ...older, state: 'active', stateChangedAtMs: 100 });
    await store.put({ ...newer, state: 'active', stateChangedAtMs: 200 });

    const records = await maintainRing(optionsFor(store));

    expect(active(records)).toEqual([newer.kid]);
    expect(records.find((r) => r.kid === older.kid)?.state).toBe('retired');
  });

  it("ends with the winner's key active when another instance wins the promotion", async () => {
    const store = createMemoryKeyStore();
    await maintainRing(optionsFor(store));
    const [current] = await store.list();
    const pending = await createPendingKey(
      optionsFor(store),
      Date.now(),
      Date.now(),
    );
    // The other instance promoted and retired first; this one's CAS fails.
    const racing: KeyStore = {
      ...store,
      updateState: async (kid, from, to, atMs) => {
        if (kid === pending?.kid && from === 'pending') {
          await store.updateState(kid, from, to, atMs);
          await store.updateState(current!.kid, 'active', 'retired', atMs);
          return false;
        }
        return store.updateState(kid, from, to, atMs);
      },
    };

    const records = await maintainRing({
      ...optionsFor(racing),
      rotation: { ...keyRotation, pendingMs: 0 },
    });

    expect(active(records)).toEqual([pending?.kid]);
    expect(records.find((r) => r.kid === current?.kid)?.state).toBe('retired');
  });

  it('fails with the store error', async () => {
    const store = createMemoryKeyStore();
    const failing = { ...store, list: () => Promise.reject(new Error('down')) };

    await expect(maintainRing(optionsFor(failing))).rejects.toThrow('down');
  });
});
