// Stop-the-store tests of the token endpoints on PostgreSQL. The shared
// server of scripts/services.sh stays up: the pool reaches it through a
// loopback TCP proxy (the stores package's test helper), and stopping the
// store closes the proxy's listener and every connection through it, so
// open connections break and new ones are refused, as from a stopped
// server. Restoring the proxy on the same port brings the store back.

import { Pool } from 'pg';

import { createPostgresStores, migratePostgres } from '@portcullis/stores';
import type { PostgresStores } from '@portcullis/stores';

import { startTcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import type { TcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';
import { stoppedStoreSuite } from './helpers/stopped-store.js';

const schema = uniqueName('ts_stopped');
let admin: Pool;
let proxy: TcpProxy;
let pool: Pool;
let stores: PostgresStores;

beforeAll(async () => {
  const url = new URL(pgUrl());
  admin = new Pool({ connectionString: url.href, max: 2 });
  await migratePostgres(admin, { schema });

  proxy = await startTcpProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  pool = new Pool({
    connectionString: url.href,
    max: 4,
    connectionTimeoutMillis: 500,
    query_timeout: 1000,
  });
  stores = createPostgresStores({ pool, schema });
});

afterAll(async () => {
  await pool?.end();
  await proxy?.cut();
  await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin?.end();
});

describe('token endpoints when PostgreSQL becomes unreachable and returns', () => {
  stoppedStoreSuite({
    stores: () => stores,
    stop: () => proxy.cut(),
    async restart() {
      await proxy.restore();
      await stores.denyList.has('probe');
    },
  });
});
