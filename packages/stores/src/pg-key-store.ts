/**
 * The PostgreSQL KeyStore: one row per key; a state change is a
 * conditional UPDATE, so concurrent rotations move a key once.
 */

import { failClosed } from './errors.js';
import type { PgContext } from './pg-context.js';
import type { KeyStore, SigningKeyRecord, SigningKeyState } from './ports.js';

interface KeyRow {
  kid: string;
  state: SigningKeyState;
  data: Record<string, unknown>;
  created_at_ms: string;
  state_changed_at_ms: string;
}

/** Creates the KeyStore of {@link createPostgresStores}. */
export function createPgKeyStore(context: PgContext): KeyStore {
  const { pool, schema: s } = context;

  return {
    list: () =>
      failClosed(async () => {
        const { rows } = await pool.query<KeyRow>(
          `SELECT * FROM ${s}.signing_keys
           ORDER BY created_at_ms, kid COLLATE "C"`,
        );
        return rows.map((row): SigningKeyRecord => ({
          kid: row.kid,
          state: row.state,
          data: row.data,
          createdAtMs: Number(row.created_at_ms),
          stateChangedAtMs: Number(row.state_changed_at_ms),
        }));
      }),
    put: (record) =>
      failClosed(async () => {
        const { rowCount } = await pool.query(
          `INSERT INTO ${s}.signing_keys
             (kid, state, data, created_at_ms, state_changed_at_ms)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO NOTHING`,
          [
            record.kid,
            record.state,
            JSON.stringify(record.data),
            record.createdAtMs,
            record.stateChangedAtMs,
          ],
        );
        return rowCount === 1;
      }),
    updateState: (kid, from, to, atMs) =>
      failClosed(async () => {
        const { rowCount } = await pool.query(
          `UPDATE ${s}.signing_keys SET state = $3, state_changed_at_ms = $4
           WHERE kid = $1 AND state = $2`,
          [kid, from, to, atMs],
        );
        return rowCount === 1;
      }),
    remove: (kid) =>
      failClosed(async () => {
        await pool.query(`DELETE FROM ${s}.signing_keys WHERE kid = $1`, [kid]);
      }),
  };
}
