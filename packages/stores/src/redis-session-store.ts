/**
 * The Redis SessionStore. Each record carries its own deadline, checked
 * against the adapter's clock, and a Redis TTL of the same length that
 * frees the memory. A per-user set indexes the keys of each user's
 * sessions; it is written before the record and pruned when listed, so it
 * may hold stale keys but never misses a live one.
 */

import { failClosed } from './errors.js';
import { luaScript, runScript } from './redis-context.js';
import type { RedisContext } from './redis-context.js';
import type { SessionRecord, SessionStore } from './ports.js';

// KEYS index; ARGV session key, ttlMs. The index lives as long as its
// longest-lived session.
const INDEX = luaScript(`
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`);

interface StoredSession {
  expiresAtMs: number;
  record: SessionRecord;
}

/** Creates the SessionStore of {@link createRedisStores}. */
export function createRedisSessionStore(context: RedisContext): SessionStore {
  const { client, now } = context;
  const keyOf = (key: string): string => `${context.prefix}session:${key}`;
  const indexOf = (userId: string): string =>
    `${context.prefix}user-sessions:${userId}`;

  const get = async (key: string): Promise<SessionRecord | undefined> => {
    const json = await client.get(keyOf(key));
    if (json === null) return undefined;

    const stored = JSON.parse(json) as StoredSession;
    return stored.expiresAtMs > now() ? stored.record : undefined;
  };

  // Separate commands, not one MULTI: a Cluster keeps the index and the
  // records in different slots.
  const listByUser = async (userId: string): Promise<string[]> => {
    const keys = await client.smembers(indexOf(userId));
    const records = await Promise.all(keys.map(get));
    const stale = keys.filter((_, i) => records[i]?.userId !== userId);
    if (stale.length > 0) await client.srem(indexOf(userId), ...stale);

    return keys.filter((_, i) => records[i]?.userId === userId).sort();
  };

  return {
    get: (key) => failClosed(() => get(key)),
    set: (key, record, ttlSeconds) =>
      failClosed(async () => {
        const ttlMs = Math.round(ttlSeconds * 1000);
        if (ttlMs <= 0) {
          await client.del(keyOf(key));
          return;
        }

        if (record.userId !== undefined) {
          await runScript(
            client,
            INDEX,
            [indexOf(record.userId)],
            [key, ttlMs],
          );
        }
        const stored: StoredSession = { expiresAtMs: now() + ttlMs, record };
        await client.set(keyOf(key), JSON.stringify(stored), 'PX', ttlMs);
      }),
    destroy: (key) =>
      failClosed(async () => {
        await client.del(keyOf(key));
      }),
    listByUser: (userId) => failClosed(() => listByUser(userId)),
    destroyByUser: (userId) =>
      failClosed(async () => {
        const keys = await listByUser(userId);
        await Promise.all(keys.map((key) => client.del(keyOf(key))));
        await client.del(indexOf(userId));
        return keys.length;
      }),
  };
}
