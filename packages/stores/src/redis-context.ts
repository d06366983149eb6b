/**
 * What every Redis adapter shares: the ioredis client (standalone,
 * Sentinel or Cluster), the key prefix, the clock and the Lua script runner.
 */

import { createHash } from 'node:crypto';

import type { Cluster, Redis } from 'ioredis';

/**
 * An ioredis client: `new Redis(...)` (standalone or Sentinel) or
 * `new Cluster(...)`.
 */
export type RedisClient = Redis | Cluster;

/** What the adapters receive from {@link createRedisStores}. */
export interface RedisContext {
  client: RedisClient;
  /** Prepended to every key; free of `{` and `}`. */
  prefix: string;
  now: () => number;
}

/** A Lua script with its SHA-1, as EVALSHA names it. */
export interface LuaScript {
  source: string;
  sha: string;
}

/** Prepares a Lua script for {@link runScript}. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script by its SHA and loads it on the first NOSCRIPT reply. Redis
 * runs a script atomically: no other command interleaves with it.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) {
      throw error;
    }
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

/**
 * Checks the replies of a MULTI: a discarded transaction or a failed
 * command rejects, as a failed single command would.
 */
export function checkExec(
  replies: Array<[Error | null, unknown]> | null,
): unknown[] {
  if (replies === null) throw new Error('redis transaction discarded');

  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}
