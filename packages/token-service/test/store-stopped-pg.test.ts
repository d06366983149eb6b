// Stop-the-store tests of the token endpoints on PostgreSQL. The shared
// server of scripts/services.sh stays up: the pool reaches it through a
// loopback TCP proxy (the stores package's test helper), and stopping the
// store closes the proxy's listener and every connection through it, so
// open connections break and new ones are refused, as from a stopped
// server. Restoring the proxy on the same port brings the store back. A
// second proxy of this package's helpers stalls instead: connections stay
// open and nothing is forwarded, as from a server that stopped answering.

import { Pool } from 'pg';

import { createPostgresStores, migratePostgres } from '@portcullis/stores';
import type { PostgresStores } from '@portcullis/stores';

import { startTcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import type { TcpProxy } from '../../stores/test/helpers/tcp-proxy.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';
import { startStallingProxy } from './helpers/stalling-proxy.js';
import type { StallingProxy } from './helpers/stalling-proxy.js';
import {
  expectUnavailable,
  startIssuer,
  stoppedStoreSuite,
  storedHash,
} from './helpers/stopped-store.js';
import type { RunningIssuer } from './helpers/stopped-store.js';

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

describe('token endpoints when PostgreSQL stops answering', () => {
  let stalling: StallingProxy;
  let stalledPool: Pool;
  let issuer: RunningIssuer;

  beforeAll(async () => {
    const url = new URL(pgUrl());
    stalling = await startStallingProxy(url.hostname, Number(url.port));
    url.port = String(stalling.port);
    stalledPool = new Pool({
      connectionString: url.href,
      max: 4,
      connectionTimeoutMillis: 500,
      query_timeout: 1000,
    });
    issuer = await startIssuer(
      createPostgresStores({ pool: stalledPool, schema }),
    );
  });

  afterAll(async () => {
    stalling?.resume();
    await issuer?.close();
    await stalledPool?.end();
    await stalling?.close();
  });

  it('answer 503 at the query timeout, and the token rotates exactly once after', async () => {
    const { familyId, refreshToken } = await issuer.service.issueRefreshToken({
      clientId: 'web',
      subject: 'u5',
    });
    const first = await issuer.refresh(refreshToken);
    expect(first.status).toBe(200);
    const current = first.body.refresh_token as string;

    stalling.stall();
    try {
      expectUnavailable(await issuer.refresh(current));
    } finally {
      stalling.resume();
    }

    // Whether or not the stalled transaction reached the server, the
    // retry yields the successor that the family now holds, once.
    const retried = await issuer.refresh(current);
    expect(retried.status).toBe(200);
    const again = await issuer.refresh(current);
    expect(again.body.refresh_token).toBe(retried.body.refresh_token);
    const family = await issuer.stores.refreshTokens.getFamily(familyId);
    expect(family).toMatchObject({
      generation: 2,
      currentTokenHash: storedHash(retried.body.refresh_token),
    });
    expect(family?.revokedAtMs).toBeUndefined();
  });
});
