/**
 * The PostgreSQL ReplayCache and AttemptCounter: each operation is one
 * INSERT ... ON CONFLICT statement, which PostgreSQL runs atomically per
 * row.
 */

import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import type { AttemptCounter, ReplayCache } from './ports.js';

/** Creates the ReplayCache of {@link createPostgresStores}. */
export function createPgReplayCache(context: PgContext): ReplayCache {
  const { pool, schema: s, now } = context;

  return {
    markIfAbsent: (key, ttlSeconds) =>
      failClosed(async () => {
        const nowMs = now();
        // The update applies only to an expired row, so a live key stays.
        const { rowCount } = await pool.query(
          `INSERT INTO ${s}.replay_cache AS r (key, expires_at_ms)
           VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE
             SET expires_at_ms = EXCLUDED.expires_at_ms
           WHERE r.expires_at_ms <= $3`,
          [key, nowMs + Math.round(ttlSeconds * 1000), nowMs],
        );
        return rowCount === 1;
      }),
  };
}

/** Creates the AttemptCounter of {@link createPostgresStores}. */
export function createPgAttemptCounter(context: PgContext): AttemptCounter {
  const { pool, schema: s, now } = context;

  return {
    increment: (key, windowSeconds) =>
      failClosed(async () => {
        const nowMs = now();
        const { rows } = await pool.query<{ count: number }>(
          `INSERT INTO ${s}.attempt_counters AS a
             (key, count, window_ends_at_ms) VALUES ($1, 1, $2)
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN a.window_ends_at_ms <= $3 THEN 1
                          ELSE a.count + 1 END,
             window_ends_at_ms = CASE WHEN a.window_ends_at_ms <= $3 THEN $2
                                      ELSE a.window_ends_at_ms END
           RETURNING count`,
          [key, nowMs + Math.round(windowSeconds * 1000), nowMs],
        );
        return Number(rows[0]?.count);
      }),
    reset: (key) =>
      failClosed(async () => {
        await pool.query(`DELETE FROM ${s}.attempt_counters WHERE key = $1`, [
          key,
        ]);
      }),
  };
}
