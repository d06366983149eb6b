import { Pool } from 'pg';

import {
  PG_SCHEMA_VERSION,
  createPostgresStores,
  migratePostgres,
} from '../src/index.js';
import type { PostgresStores } from '../src/index.js';
import {
  attemptCounterContract,
  denyListContract,
  denyListPropagationContract,
  keyStoreContract,
  refreshTokenStoreContract,
  replayCacheContract,
  sessionStoreContract,
} from './helpers/contract.js';
import type { ManualClock } from './helpers/contract.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';

const schema = uniqueName('pg');
const TABLES = [
  'sessions',
  'deny_list',
  'replay_cache',
  'attempt_counters',
  'refresh_families',
  'refresh_tokens',
  'signing_keys',
];
let pool: Pool;
let otherInstance: Pool;

beforeAll(async () => {
  pool = new Pool({ connectionString: pgUrl(), max: 10 });
  otherInstance = new Pool({ connectionString: pgUrl(), max: 2 });
  await migratePostgres(pool, { schema });
});

afterAll(async () => {
  if (pool === undefined) return;
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await otherInstance.end();
});

function allVersions(): number[] {
  return Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1);
}

function realClock(): ManualClock {
  return { now: Date.now, advanceSeconds: () => undefined };
}

// Each test starts from empty tables of this file's own schema.
async function stores(clock: ManualClock): Promise<PostgresStores> {
  await pool.query(
    `TRUNCATE ${TABLES.map((t) => `"${schema}".${t}`).join(', ')}`,
  );
  return createPostgresStores({ pool, schema, now: clock.now });
}

describe('createPostgresStores', () => {
  describe('sessions', () => {
    sessionStoreContract(async (clock) => (await stores(clock)).sessions);
  });

  describe('denyList', () => {
    denyListContract(async (clock) => (await stores(clock)).denyList);
  });

  describe('denyList.subscribe', () => {
    denyListPropagationContract(async () => [
      (await stores(realClock())).denyList,
      createPostgresStores({ pool: otherInstance, schema }).denyList,
    ]);
  });

  describe('replayCache', () => {
    replayCacheContract(async (clock) => (await stores(clock)).replayCache);
  });

  describe('attemptCounter', () => {
    attemptCounterContract(
      async (clock) => (await stores(clock)).attemptCounter,
    );
  });

  describe('refreshTokens', () => {
    refreshTokenStoreContract(
      async (clock) => (await stores(clock)).refreshTokens,
    );
  });

  describe('keys', () => {
    keyStoreContract(async (clock) => (await stores(clock)).keys);
  });

  it('purges expired rows and keeps live ones', async () => {
    let nowMs = 1_000_000;
    const pg = await stores({ now: () => nowMs, advanceSeconds: () => 0 });
    await pg.denyList.add('old', 1_010);
    await pg.denyList.add('live', 2_000);
    await pg.replayCache.markIfAbsent('jti', 5);
    nowMs = 1_020_000;

    await expect(pg.purgeExpired()).resolves.toBe(2);
    await expect(pg.denyList.has('live')).resolves.toBe(true);
  });

  it.each([
    [{}, /"pool" is required/],
    [{ pool: {} }, /"pool" is required/],
    [{ pool: 'postgres://x' }, /"pool" is required/],
  ])('rejects invalid options %#', (options, message) => {
    expect(() => createPostgresStores(options as never)).toThrow(message);
  });

  it.each([
    [{ schema: 'Bad-Name' }, /"schema" must be a lower-case SQL identifier/],
    [{ schema: 'x; DROP' }, /"schema" must be a lower-case SQL identifier/],
    [{ now: 'soon' }, /"now" must be a function/],
    [{ logger: {} }, /"logger" must have debug/],
    [{ scheme: 'x' }, /"scheme" is not a known option/],
  ])('rejects option %p', (extra, message) => {
    expect(() => createPostgresStores({ pool, ...extra } as never)).toThrow(
      message,
    );
  });
});

describe('migratePostgres', () => {
  it('records its version and applies nothing twice', async () => {
    await expect(migratePostgres(pool, { schema })).resolves.toEqual([]);
    const { rows } = await pool.query(
      `SELECT version FROM "${schema}".schema_migrations`,
    );

    expect(rows.map((row) => row.version).sort()).toEqual(allVersions());
  });

  it('upgrades a database that lacks only the newest version', async () => {
    await pool.query(
      `DELETE FROM "${schema}".schema_migrations WHERE version = 2;
       ALTER TABLE "${schema}".sessions DROP COLUMN user_id`,
    );

    await expect(migratePostgres(pool, { schema })).resolves.toEqual([2]);
    const pg = createPostgresStores({ pool, schema });
    const session = { data: {}, createdAtMs: 1, lastSeenAtMs: 1 };
    await pg.sessions.set('upgraded', { ...session, userId: 'u1' }, 60);
    await expect(pg.sessions.listByUser?.('u1')).resolves.toEqual(['upgraded']);
  });

  it('is safe to run from several instances at once', async () => {
    const fresh = uniqueName('mig');
    try {
      const runs = await Promise.all(
        [1, 2, 3].map(() => migratePostgres(pool, { schema: fresh })),
      );

      expect(runs.flat()).toEqual(allVersions());
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
    }
  });

  it('refuses an unsafe schema name before touching the database', async () => {
    await expect(migratePostgres(pool, { schema: 'a"b' })).rejects.toThrow(
      /"schema" must be a lower-case SQL identifier/,
    );
  });
});
