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

  return {
    async get(key) {
      const json = map.get(key);
      return json === undefined
        ? undefined
        : (JSON.parse(json) as SessionRecord);
    },
    async set(key, record, ttlSeconds) {
      map.set(key, JSON.stringify(record), now() + ttlSeconds * 1000);
    },
    async destroy(key) {
      map.delete(key);
    },
  };
}
