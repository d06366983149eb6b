import { Pool } from 'pg';

import { createPostgresStores, migratePostgres } from '@portcullis/stores';

import { refreshRaceSuite } from './helpers/refresh-race.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';

const schema = uniqueName('ts_race');
let pool: Pool;

beforeAll(async () => {
  pool = new Pool({ connectionString: pgUrl(), max: 10 });
  await migratePostgres(pool, { schema });
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('refresh rotation on PostgreSQL', () => {
  refreshRaceSuite(() => createPostgresStores({ pool, schema }));
});
