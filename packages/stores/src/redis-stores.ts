/**
 * The Redis adapters of every port, built on one ioredis client: a
 * standalone server, a Sentinel-managed primary or a Cluster.
 */

import type { Cluster, Redis } from 'ioredis';

import {
  configError,
  optionalLogger,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { Logger } from '@portcullis/core';

import { createRedisKeyStore } from './redis-key-store.js';
import {
  createRedisAttemptCounter,
  createRedisReplayCache,
} from './redis-counters.js';
import { createRedisRefreshTokenStore } from './redis-refresh-token-store.js';
import { createRedisDenyList } from './redis-deny-list.js';
import { createRedisSessionStore } from './redis-session-store.js';
import type { RedisContext } from './redis-context.js';
import type {
  AttemptCounter,
  DenyList,
  KeyStore,
  RefreshTokenStore,
  ReplayCache,
  SessionStore,
} from './ports.js';

const PACKAGE = '@portcullis/stores';
const DEFAULT_KEY_PREFIX = 'portcullis:';

/** Options of {@link createRedisStores}. */
export interface RedisStoresOptions {
  /**
   * The ioredis client, required: `new Redis(url)`, `new Redis({
   * sentinels, name })` or `new Cluster(nodes)`. The application owns it
   * and closes it. Set `maxRetriesPerRequest`, `commandTimeout` and
   * `enableOfflineQueue: false` so that an outage rejects quickly.
   */
  client: Redis | Cluster;
  /** Prepended to every key. Default: `'portcullis:'`. No `{` or `}`. */
  keyPrefix?: string;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Receives the construction-time warning about risky client options. */
  logger?: Logger;
}

/** Every port, backed by Redis. */
export interface RedisStores {
  sessions: SessionStore;
  denyList: DenyList;
  replayCache: ReplayCache;
  attemptCounter: AttemptCounter;
  refreshTokens: RefreshTokenStore;
  keys: KeyStore;
}

/**
 * Warns once when the client would queue or retry commands during an
 * outage instead of rejecting them quickly (callers then wait, not fail).
 */
function warnAboutSlowFailure(client: Redis | Cluster, logger: Logger): void {
  const options = client.options as {
    commandTimeout?: number;
    redisOptions?: { commandTimeout?: number };
  };
  const redisOptions = options.redisOptions ?? options;
  if (redisOptions?.commandTimeout === undefined) {
    logger.warn(
      'stores: the Redis client has no commandTimeout; an unresponsive ' +
        'server makes store calls wait instead of failing closed quickly',
    );
  }
}

function normalize(options: RedisStoresOptions): RedisContext {
  if (typeof options !== 'object' || options === null) {
    throw configError(
      PACKAGE,
      'client',
      'is required: expected an ioredis client',
    );
  }

  rejectUnknownKeys(PACKAGE, options, ['client', 'keyPrefix', 'now', 'logger']);
  const client = options.client as Partial<Redis> | undefined;
  if (typeof client?.evalsha !== 'function') {
    throw configError(
      PACKAGE,
      'client',
      'is required: expected an ioredis client',
    );
  }

  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw configError(PACKAGE, 'keyPrefix', 'must be a string without { or }');
  }

  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw configError(PACKAGE, 'now', 'must be a function returning epoch ms');
  }
  warnAboutSlowFailure(options.client, optionalLogger(PACKAGE, options.logger));
  return { client: options.client, prefix, now };
}

/**
 * Creates the Redis adapters of every port. Each operation is one command
 * or one Lua script, so it is atomic; every failure rejects with a
 * StoreUnavailableError (callers fail closed).
 *
 * @throws TypeError naming the option when the options are invalid.
 * @example
 * const stores = createRedisStores({
 *   client: new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000 }),
 * });
 * await stores.denyList.add(jti, exp);
 */
export function createRedisStores(options: RedisStoresOptions): RedisStores {
  const context = normalize(options);

  return {
    sessions: createRedisSessionStore(context),
    denyList: createRedisDenyList(context),
    replayCache: createRedisReplayCache(context),
    attemptCounter: createRedisAttemptCounter(context),
    refreshTokens: createRedisRefreshTokenStore(context),
    keys: createRedisKeyStore(context),
  };
}
