/**
 * The PostgreSQL SessionStore. Rows carry their deadline and their user
 * (indexed, for "sign out everywhere"); reads ignore expired rows and
 * `purgeExpired` deletes them.
 */

import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import type { SessionRecord, SessionStore } from './ports.js';

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
          `INSERT INTO ${s}.sessions (key, record, expires_at_ms, user_id)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record,
             expires_at_ms = EXCLUDED.expires_at_ms,
             user_id = EXCLUDED.user_id`,
          [
            key,
            JSON.stringify(record),
            now() + Math.round(ttlSeconds * 1000),
            record.userId ?? null,
          ],
        );
      }),
    destroy: (key) =>
      failClosed(async () => {
        await pool.query(`DELETE FROM ${s}.sessions WHERE key = $1`, [key]);
      }),
    listByUser: (userId) =>
      failClosed(async () => {
        const { rows } = await pool.query<{ key: string }>(
          `SELECT key FROM ${s}.sessions
           WHERE user_id = $1 AND expires_at_ms > $2 ORDER BY key COLLATE "C"`,
          [userId, now()],
        );
        return rows.map((row) => row.key);
      }),
    destroyByUser: (userId) =>
      failClosed(async () => {
        const { rows } = await pool.query<{ live: boolean }>(
          `DELETE FROM ${s}.sessions WHERE user_id = $1
           RETURNING expires_at_ms > $2 AS live`,
          [userId, now()],
        );
        return rows.filter((row) => row.live).length;
      }),
  };
}
