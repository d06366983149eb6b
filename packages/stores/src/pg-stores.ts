/**
 * The PostgreSQL adapters of every port, built on one `pg` Pool and the
 * schema that {@link migratePostgres} creates.
 */

import type { Pool } from 'pg';

import {
  configError,
  optionalLogger,
  rejectUnknownKeys,
} from '@portcullis/core';
import type { Logger } from '@portcullis/core';

import { createPgAttemptCounter, createPgReplayCache } from './pg-counters.js';
import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import { createPgKeyStore } from './pg-key-store.js';
import { DEFAULT_PG_SCHEMA, quoteSchema } from './pg-migrate.js';
import { createPgRefreshTokenStore } from './pg-refresh-token-store.js';
import { createPgDenyList } from './pg-deny-list.js';
import { createPgSessionStore } from './pg-session-store.js';
import type {
  AttemptCounter,
  DenyList,
  KeyStore,
  RefreshTokenStore,
  ReplayCache,
  SessionStore,
} from './ports.js';

const PACKAGE = '@portcullis/stores';
const EXPIRING_TABLES = [
  ['sessions', 'expires_at_ms'],
  ['deny_list', 'expires_at_ms'],
  ['replay_cache', 'expires_at_ms'],
  ['attempt_counters', 'window_ends_at_ms'],
  ['refresh_families', 'absolute_expires_at_ms'],
] as const;

const watchedPools = new WeakSet<Pool>();

/**
 * An idle connection that breaks makes the pool emit 'error'; without a
 * listener Node would end the process instead of letting callers retry.
 */
function watchIdleErrors(pool: Pool, logger: Logger): void {
  if (watchedPools.has(pool)) return;

  watchedPools.add(pool);
  pool.on('error', (error) => {
    logger.warn('stores: idle PostgreSQL connection failed', {
      error: error.message,
    });
  });
}

/** Options of {@link createPostgresStores}. */
export interface PostgresStoresOptions {
  /**
   * The `pg` Pool, required. The application owns it and ends it. Set
   * `connectionTimeoutMillis` and `query_timeout` so that an outage
   * rejects quickly.
   */
  pool: Pool;
  /** The schema `migratePostgres` created. Default: `'portcullis'`. */
  schema?: string;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Receives errors of idle pooled connections. Default: silent. */
  logger?: Logger;
}

/** Every port, backed by PostgreSQL, plus housekeeping. */
export interface PostgresStores {
  sessions: SessionStore;
  denyList: DenyList;
  replayCache: ReplayCache;
  attemptCounter: AttemptCounter;
  refreshTokens: RefreshTokenStore;
  keys: KeyStore;
  /** Deletes expired rows; returns how many. Run it on a schedule. */
  purgeExpired(): Promise<number>;
}

function normalize(options: PostgresStoresOptions): PgContext & {
  logger: Logger;
} {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'pool', 'is required: expected a pg Pool');
  }

  rejectUnknownKeys(PACKAGE, options, ['pool', 'schema', 'now', 'logger']);
  if (
    typeof (options.pool as Partial<Pool> | undefined)?.connect !== 'function'
  ) {
    throw configError(PACKAGE, 'pool', 'is required: expected a pg Pool');
  }

  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw configError(PACKAGE, 'now', 'must be a function returning epoch ms');
  }
  return {
    pool: options.pool,
    schema: quoteSchema(options.schema ?? DEFAULT_PG_SCHEMA),
    now,
    logger: optionalLogger(PACKAGE, options.logger),
  };
}

/**
 * Creates the PostgreSQL adapters of every port. Run `migratePostgres`
 * first. Every failure rejects with a StoreUnavailableError (callers fail
 * closed); multi-row writes run in one transaction.
 *
 * @throws TypeError naming the option when the options are invalid.
 * @example
 * const pool = new Pool({ connectionString, connectionTimeoutMillis: 1000 });
 * await migratePostgres(pool);
 * const stores = createPostgresStores({ pool });
 */
export function createPostgresStores(
  options: PostgresStoresOptions,
): PostgresStores {
  const context = normalize(options);
  watchIdleErrors(context.pool, context.logger);

  const { pool, schema: s, now } = context;
  return {
    sessions: createPgSessionStore(context),
    denyList: createPgDenyList(context),
    replayCache: createPgReplayCache(context),
    attemptCounter: createPgAttemptCounter(context),
    refreshTokens: createPgRefreshTokenStore(context),
    keys: createPgKeyStore(context),
    purgeExpired: () =>
      failClosed(async () => {
        let purged = 0;
        for (const [table, column] of EXPIRING_TABLES) {
          const { rowCount } = await pool.query(
            `DELETE FROM ${s}.${table} WHERE ${column} <= $1`,
            [now()],
          );
          purged += rowCount ?? 0;
        }
        return purged;
      }),
  };
}
