/**
 * The in-memory DenyList. Entries expire when the tokens they revoke would
 * have expired, so the list never outgrows the set of live tokens.
 */

import { MemoryTtlMap } from './memory-ttl-map.js';
import type { MemoryTtlMapOptions } from './memory-ttl-map.js';
import type { DenyList, DenyListListener } from './ports.js';

/** Options of {@link createMemoryDenyList}. */
export type MemoryDenyListOptions = MemoryTtlMapOptions;

/**
 * Creates a DenyList held in this process. `subscribe` reports the keys
 * added through this same list.
 */
export function createMemoryDenyList(
  options: MemoryDenyListOptions = {},
): DenyList {
  const map = new MemoryTtlMap<true>(options);
  const listeners = new Set<DenyListListener>();

  return {
    async add(key, expiresAtSeconds) {
      map.set(key, true, expiresAtSeconds * 1000);
      for (const listener of listeners) listener(key);
    },
    async has(key) {
      return map.get(key) === true;
    },
    async subscribe(listener) {
      const own = (key: string | undefined): void => listener(key);
      listeners.add(own);
      return async () => {
        listeners.delete(own);
      };
    },
  };
}
