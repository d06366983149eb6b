/**
 * The in-memory ReplayCache: set-if-absent with a TTL for DPoP `jti`s
 * (RFC 9449 section 11.1) and other one-time values.
 */

import { MemoryTtlMap } from './memory-ttl-map.js';
import type { MemoryTtlMapOptions } from './memory-ttl-map.js';
import type { ReplayCache } from './ports.js';

/** Options of {@link createMemoryReplayCache}. */
export type MemoryReplayCacheOptions = MemoryTtlMapOptions;

/** Creates a ReplayCache held in this process. */
export function createMemoryReplayCache(
  options: MemoryReplayCacheOptions = {},
): ReplayCache {
  const now = options.now ?? Date.now;
  const map = new MemoryTtlMap<true>({ now });

  return {
    async markIfAbsent(key, ttlSeconds) {
      if (map.get(key) !== undefined) return false;

      map.set(key, true, now() + ttlSeconds * 1000);
      return true;
    },
  };
}
