/**
 * The versioned schema of the PostgreSQL adapters. `migratePostgres` applies
 * the migrations a database lacks, in order, each in its own transaction,
 * under an advisory lock so that instances starting together do not race.
 */

import type { Pool } from 'pg';

import { configError } from '@portcullis/core';

import { failClosed } from './errors.js';
import { withTransaction } from './pg-context.js';

const PACKAGE = '@portcullis/stores';
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const ADVISORY_LOCK_ID = 7_216_004_391;

/** The default schema of the PostgreSQL adapters. */
export const DEFAULT_PG_SCHEMA = 'portcullis';

/** One migration: its version and the statements it runs. */
interface Migration {
  version: number;
  statements: (schema: string) => string[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: (s) => [
      `CREATE TABLE ${s}.sessions (key text PRIMARY KEY,
        record text NOT NULL, expires_at_ms bigint NOT NULL)`,
      `CREATE INDEX ON ${s}.sessions (expires_at_ms)`,
      `CREATE TABLE ${s}.deny_list (key text PRIMARY KEY,
        expires_at_ms bigint NOT NULL)`,
      `CREATE INDEX ON ${s}.deny_list (expires_at_ms)`,
      `CREATE TABLE ${s}.replay_cache (key text PRIMARY KEY,
        expires_at_ms bigint NOT NULL)`,
      `CREATE INDEX ON ${s}.replay_cache (expires_at_ms)`,
      `CREATE TABLE ${s}.attempt_counters (key text PRIMARY KEY,
        count integer NOT NULL, window_ends_at_ms bigint NOT NULL)`,
      `CREATE TABLE ${s}.refresh_families (
        family_id text PRIMARY KEY, client_id text NOT NULL,
        subject text NOT NULL, session_id text, dpop_jkt text,
        scope text NOT NULL, data jsonb NOT NULL,
        current_token_hash text NOT NULL, previous_token_hash text,
        grace_until_ms bigint, generation integer NOT NULL,
        created_at_ms bigint NOT NULL, rotated_at_ms bigint NOT NULL,
        idle_ttl_seconds double precision NOT NULL,
        idle_expires_at_ms bigint NOT NULL,
        absolute_expires_at_ms bigint NOT NULL, revoked_at_ms bigint)`,
      `CREATE INDEX ON ${s}.refresh_families (session_id)`,
      `CREATE INDEX ON ${s}.refresh_families (absolute_expires_at_ms)`,
      `CREATE TABLE ${s}.refresh_tokens (token_hash text PRIMARY KEY,
        family_id text NOT NULL
          REFERENCES ${s}.refresh_families ON DELETE CASCADE)`,
      `CREATE INDEX ON ${s}.refresh_tokens (family_id)`,
      `CREATE TABLE ${s}.signing_keys (kid text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('pending', 'active', 'retired')),
        data jsonb NOT NULL, created_at_ms bigint NOT NULL,
        state_changed_at_ms bigint NOT NULL)`,
    ],
  },
  {
    version: 2,
    statements: (s) => [
      `ALTER TABLE ${s}.sessions ADD COLUMN user_id text`,
      `CREATE INDEX ON ${s}.sessions (user_id)`,
    ],
  },
];

/** The newest schema version this package knows. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Checks a schema name and returns it quoted for SQL. */
export function quoteSchema(schema: unknown): string {
  if (typeof schema !== 'string' || !SCHEMA_PATTERN.test(schema)) {
    throw configError(
      PACKAGE,
      'schema',
      'must be a lower-case SQL identifier (letters, digits, _)',
    );
  }
  return `"${schema}"`;
}

/** Options of {@link migratePostgres}. */
export interface MigratePostgresOptions {
  /** The schema to create or upgrade. Default: `'portcullis'`. */
  schema?: string;
}

/**
 * Creates or upgrades the schema of the PostgreSQL adapters: the schema,
 * `schema_migrations`, and every table. Safe to run at every start and
 * from several instances at once.
 *
 * @returns the versions applied by this call (empty when up to date).
 * @throws TypeError for an invalid schema name; StoreUnavailableError when
 *   the database fails (nothing of a failed migration stays applied).
 * @example
 * await migratePostgres(pool);
 */
export async function migratePostgres(
  pool: Pool,
  options: MigratePostgresOptions = {},
): Promise<number[]> {
  const s = quoteSchema(options.schema ?? DEFAULT_PG_SCHEMA);

  return failClosed(() =>
    withTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [
        ADVISORY_LOCK_ID,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${s}.schema_migrations`,
      );
      const done = new Set(rows.map((row) => row.version));

      const applied: number[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;

        for (const sql of migration.statements(s)) await client.query(sql);
        await client.query(
          `INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`,
          [migration.version],
        );
        applied.push(migration.version);
      }
      return applied;
    }),
  );
}
