/**
 * The Redis ReplayCache and AttemptCounter: each operation is one Lua
 * script, so set-if-absent and increment-in-window are atomic.
 */

import { failClosed } from './errors.js';
import { luaScript, runScript } from './redis-context.js';
import type { RedisContext } from './redis-context.js';
import type { AttemptCounter, ReplayCache } from './ports.js';

// KEYS[1] key; ARGV now, expiresAtMs, ttlMs. A value holds its deadline.
const MARK_IF_ABSENT = luaScript(`
local v = redis.call('GET', KEYS[1])
if v and tonumber(v) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);

// KEYS[1] hash {c: count, e: window end}; ARGV now, window end, ttlMs.
const INCREMENT = luaScript(`
local e = tonumber(redis.call('HGET', KEYS[1], 'e'))
if not e or e <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'c', 1, 'e', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'c', 1)
`);

function ttlMsOf(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1000));
}

/** Creates the ReplayCache of {@link createRedisStores}. */
export function createRedisReplayCache(context: RedisContext): ReplayCache {
  const { client, now } = context;

  return {
    markIfAbsent: (key, ttlSeconds) =>
      failClosed(async () => {
        const ttlMs = ttlMsOf(ttlSeconds);
        const nowMs = now();
        const marked = await runScript(
          client,
          MARK_IF_ABSENT,
          [`${context.prefix}replay:${key}`],
          [nowMs, nowMs + ttlMs, ttlMs],
        );
        return marked === 1;
      }),
  };
}

/** Creates the AttemptCounter of {@link createRedisStores}. */
export function createRedisAttemptCounter(
  context: RedisContext,
): AttemptCounter {
  const { client, now } = context;
  const keyOf = (key: string): string => `${context.prefix}attempts:${key}`;

  return {
    increment: (key, windowSeconds) =>
      failClosed(async () => {
        const ttlMs = ttlMsOf(windowSeconds);
        const nowMs = now();
        const count = await runScript(
          client,
          INCREMENT,
          [keyOf(key)],
          [nowMs, nowMs + ttlMs, ttlMs],
        );
        return Number(count);
      }),
    reset: (key) =>
      failClosed(async () => {
        await client.del(keyOf(key));
      }),
  };
}
