/**
 * The Redis SessionStore. Each record carries its own deadline, checked
 * against the adapter's clock, and a Redis TTL of the same length that
 * frees the memory.
 */

import { failClosed } from './errors.js';
import type { RedisContext } from './redis-context.js';
import type { SessionRecord, SessionStore } from './ports.js';

interface StoredSession {
  expiresAtMs: number;
  record: SessionRecord;
}

/** Creates the SessionStore of {@link createRedisStores}. */
export function createRedisSessionStore(context: RedisContext): SessionStore {
  const { client, now } = context;
  const keyOf = (key: string): string => `${context.prefix}session:${key}`;

  return {
    get: (key) =>
      failClosed(async () => {
        const json = await client.get(keyOf(key));
        if (json === null) return undefined;

        const stored = JSON.parse(json) as StoredSession;
        return stored.expiresAtMs > now() ? stored.record : undefined;
      }),
    set: (key, record, ttlSeconds) =>
      failClosed(async () => {
        const ttlMs = Math.round(ttlSeconds * 1000);
        if (ttlMs <= 0) {
          await client.del(keyOf(key));
          return;
        }

        const stored: StoredSession = { expiresAtMs: now() + ttlMs, record };
        await client.set(keyOf(key), JSON.stringify(stored), 'PX', ttlMs);
      }),
    destroy: (key) =>
      failClosed(async () => {
        await client.del(keyOf(key));
      }),
  };
}
