import { Pool } from 'pg';

import { createPostgresStores, migratePostgres } from '@portcullis/stores';

import { sharedRingSuite } from './helpers/shared-ring.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';

const schemas: string[] = [];
let pool: Pool;

beforeAll(() => {
  pool = new Pool({ connectionString: pgUrl(), max: 10 });
});

afterAll(async () => {
  for (const schema of schemas) {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  await pool.end();
});

describe('two instances sharing a PostgreSQL KeyStore', () => {
  sharedRingSuite(async () => {
    const schema = uniqueName('ts_keys');
    schemas.push(schema);
    await migratePostgres(pool, { schema });
    return createPostgresStores({ pool, schema }).keys;
  });
});
