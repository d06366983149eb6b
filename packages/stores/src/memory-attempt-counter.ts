/**
 * The in-memory AttemptCounter: fixed-window counts for rate limits on
 * logins and client authentication.
 */

import { MemoryTtlMap } from './memory-ttl-map.js';
import type { MemoryTtlMapOptions } from './memory-ttl-map.js';
import type { AttemptCounter } from './ports.js';

/** Options of {@link createMemoryAttemptCounter}. */
export type MemoryAttemptCounterOptions = MemoryTtlMapOptions;

/** Creates an AttemptCounter held in this process. */
export function createMemoryAttemptCounter(
  options: MemoryAttemptCounterOptions = {},
): AttemptCounter {
  const now = options.now ?? Date.now;
  const map = new MemoryTtlMap<{ count: number; endsAtMs: number }>({ now });

  return {
    async increment(key, windowSeconds) {
      const window = map.get(key);
      if (window === undefined) {
        const endsAtMs = now() + windowSeconds * 1000;
        map.set(key, { count: 1, endsAtMs }, endsAtMs);
        return 1;
      }

      window.count += 1;
      return window.count;
    },
    async reset(key) {
      map.delete(key);
    },
  };
}
