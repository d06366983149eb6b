/**
 * The in-memory DenyList. Entries expire when the tokens they revoke would
 * have expired, so the list never outgrows the set of live tokens.
 */

import { MemoryTtlMap } from './memory-ttl-map.js';
import type { MemoryTtlMapOptions } from './memory-ttl-map.js';
import type { DenyList } from './ports.js';

/** Options of {@link createMemoryDenyList}. */
export type MemoryDenyListOptions = MemoryTtlMapOptions;

/** Creates a DenyList held in this process. */
export function createMemoryDenyList(
  options: MemoryDenyListOptions = {},
): DenyList {
  const map = new MemoryTtlMap<true>(options);

  return {
    async add(key, expiresAtSeconds) {
      map.set(key, true, expiresAtSeconds * 1000);
    },
    async has(key) {
      return map.get(key) === true;
    },
  };
}
