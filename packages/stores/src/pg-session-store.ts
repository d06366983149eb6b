/**
 * The PostgreSQL SessionStore and DenyList. Rows carry their deadline and
 * reads ignore expired rows; `purgeExpired` deletes them.
 */

import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import type { DenyList, SessionRecord, SessionStore } from './ports.js';

/** Creates the SessionStore of {@link createPostgresStores}. */
export function createPgSessionStore(context: PgContext): SessionStore {
  const { pool, schema: s, now } = context;

  return {
    get: (key) =>
      failClosed(async () => {
        const { rows } = await pool.query<{ record: string }>(
          `SELECT record FROM ${s}.sessions
           WHERE key = $1 AND expires_at_ms > $2`,
          [key, now()],
        );
        const row = rows[0];
        return row === undefined
          ? undefined
          : (JSON.parse(row.record) as SessionRecord);
      }),
    set: (key, record, ttlSeconds) =>
      failClosed(async () => {
        await pool.query(
          `INSERT INTO ${s}.sessions (key, record, expires_at_ms)
           VALUES ($1, $2, $3)
           ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record,
             expires_at_ms = EXCLUDED.expires_at_ms`,
          [key, JSON.stringify(record), now() + Math.round(ttlSeconds * 1000)],
        );
      }),
    destroy: (key) =>
      failClosed(async () => {
        await pool.query(`DELETE FROM ${s}.sessions WHERE key = $1`, [key]);
      }),
  };
}

/** Creates the DenyList of {@link createPostgresStores}. */
export function createPgDenyList(context: PgContext): DenyList {
  const { pool, schema: s, now } = context;

  return {
    add: (key, expiresAtSeconds) =>
      failClosed(async () => {
        const expiresAtMs = Math.round(expiresAtSeconds * 1000);
        if (expiresAtMs <= now()) return;

        await pool.query(
          `INSERT INTO ${s}.deny_list (key, expires_at_ms) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE
             SET expires_at_ms = EXCLUDED.expires_at_ms`,
          [key, expiresAtMs],
        );
      }),
    has: (key) =>
      failClosed(async () => {
        const { rowCount } = await pool.query(
          `SELECT 1 FROM ${s}.deny_list WHERE key = $1 AND expires_at_ms > $2`,
          [key, now()],
        );
        return rowCount === 1;
      }),
  };
}
