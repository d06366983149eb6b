/** The in-memory KeyStore: signing keys of one issuer process. */

import type { KeyStore, SigningKeyRecord } from './ports.js';

/** Orders keys oldest first, then by kid. */
export function compareKeys(a: SigningKeyRecord, b: SigningKeyRecord): number {
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0;
}

/** Creates a KeyStore held in this process. */
export function createMemoryKeyStore(): KeyStore {
  const keys = new Map<string, SigningKeyRecord>();

  return {
    async list() {
      return structuredClone([...keys.values()].sort(compareKeys));
    },
    async put(record) {
      if (keys.has(record.kid)) return false;

      keys.set(record.kid, structuredClone(record));
      return true;
    },
    async updateState(kid, from, to, atMs) {
      const record = keys.get(kid);
      if (record === undefined || record.state !== from) return false;

      keys.set(kid, { ...record, state: to, stateChangedAtMs: atMs });
      return true;
    },
    async remove(kid) {
      keys.delete(kid);
    },
  };
}
