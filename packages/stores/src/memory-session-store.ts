/**
 * The in-memory SessionStore: the embedded default for the demo and for
 * development. Sessions live in one process and die with it.
 */

import { MemoryTtlMap } from './memory-ttl-map.js';
import type { MemoryTtlMapOptions } from './memory-ttl-map.js';
import type { SessionRecord, SessionStore } from './ports.js';

/** Options of {@link createMemorySessionStore}. */
export type MemorySessionStoreOptions = MemoryTtlMapOptions;

/**
 * Creates a SessionStore held in this process. Records are copied in and
 * out, so a caller mutating a returned record never changes the store.
 */
export function createMemorySessionStore(
  options: MemorySessionStoreOptions = {},
): SessionStore {
  const now = options.now ?? Date.now;
  const map = new MemoryTtlMap<string>({ now });
  // userId -> session keys; stale keys are dropped when listed.
  const byUser = new Map<string, Set<string>>();

  const read = (key: string): SessionRecord | undefined => {
    const json = map.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as SessionRecord);
  };

  const listByUser = (userId: string): string[] => {
    const keys = byUser.get(userId) ?? new Set<string>();
    for (const key of keys) {
      if (read(key)?.userId !== userId) keys.delete(key);
    }

    if (keys.size === 0) byUser.delete(userId);
    return [...keys].sort();
  };

  return {
    async get(key) {
      return read(key);
    },
    async set(key, record, ttlSeconds) {
      map.set(key, JSON.stringify(record), now() + ttlSeconds * 1000);
      if (record.userId === undefined) return;

      const keys = byUser.get(record.userId) ?? new Set<string>();
      byUser.set(record.userId, keys.add(key));
    },
    async destroy(key) {
      map.delete(key);
    },
    async listByUser(userId) {
      return listByUser(userId);
    },
    async destroyByUser(userId) {
      const keys = listByUser(userId);
      for (const key of keys) map.delete(key);
      byUser.delete(userId);
      return keys.length;
    },
  };
}
