/**
 * The Redis DenyList. An entry holds its deadline (checked against the
 * adapter's clock) under a Redis TTL of the same length. Each addition is
 * published on a channel in the same MULTI, so guards that subscribe can
 * drop what they cached.
 */

import type { Cluster, Redis } from 'ioredis';

import { failClosed } from './errors.js';
import { checkExec } from './redis-context.js';
import type { RedisClient, RedisContext } from './redis-context.js';
import type {
  DenyList,
  DenyListListener,
  DenyListStatusListener,
} from './ports.js';

/** A second connection for SUBSCRIBE, which blocks a connection's use. */
async function connectSubscriber(client: RedisClient): Promise<RedisClient> {
  const subscriber = (client as { isCluster?: boolean }).isCluster
    ? (client as Cluster).duplicate(undefined, { lazyConnect: true })
    : (client as Redis).duplicate({ lazyConnect: true });
  // ioredis reconnects and re-subscribes by itself; errors in between are
  // reported through the listener (undefined) instead of this event.
  subscriber.on('error', () => undefined);
  try {
    await subscriber.connect();
  } catch (error) {
    subscriber.disconnect();
    throw error;
  }
  return subscriber;
}

/** Creates the DenyList of {@link createRedisStores}. */
export function createRedisDenyList(context: RedisContext): DenyList {
  const { client, now } = context;
  const keyOf = (key: string): string => `${context.prefix}deny:${key}`;
  const channel = `${context.prefix}deny-list`;

  const subscribe = async (
    listener: DenyListListener,
    onStatus?: DenyListStatusListener,
  ): Promise<() => Promise<void>> => {
    const subscriber = await connectSubscriber(client);
    let stopped = false;
    subscriber.on('message', (from: string, key: string) => {
      if (from === channel && !stopped) listener(key);
    });
    // From a lost connection on, messages may be missed.
    subscriber.on('close', () => {
      if (!stopped) onStatus?.(false);
    });
    // A reconnection may have missed messages: the cache must be cleared.
    subscriber.on('ready', () => {
      if (stopped) return;
      listener(undefined);
      onStatus?.(true);
    });
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    return async () => {
      stopped = true;
      subscriber.disconnect();
    };
  };

  return {
    add: (key, expiresAtSeconds) =>
      failClosed(async () => {
        const expiresAtMs = Math.round(expiresAtSeconds * 1000);
        const ttlMs = expiresAtMs - now();
        if (ttlMs <= 0) return;

        checkExec(
          await client
            .multi()
            .set(keyOf(key), String(expiresAtMs), 'PX', ttlMs)
            .publish(channel, key)
            .exec(),
        );
      }),
    has: (key) =>
      failClosed(async () => {
        const value = await client.get(keyOf(key));
        return value !== null && Number(value) > now();
      }),
    subscribe: (listener, onStatus) =>
      failClosed(() => subscribe(listener, onStatus)),
  };
}
