/**
 * What every PostgreSQL adapter shares: the pool, the quoted schema, the
 * clock and transactions.
 */

import type { Pool, PoolClient } from 'pg';

/** What the adapters receive from {@link createPostgresStores}. */
export interface PgContext {
  pool: Pool;
  /** The schema, already checked and quoted. */
  schema: string;
  now: () => number;
}

/**
 * Runs `work` in a transaction on one pooled connection. A failure rolls
 * back, so nothing is half-written, and a broken connection is discarded.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw error;
  }
}

/** True for a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
