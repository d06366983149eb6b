// Stop-the-store behaviour for PostgreSQL: the connection to the private
// cluster is cut under a live pool; every port rejects with
// StoreUnavailableError (callers fail closed), nothing is half-written, and
// the same adapter works again once the connection returns.

import { Pool } from 'pg';

import {
  StoreUnavailableError,
  createPostgresStores,
  migratePostgres,
} from '../src/index.js';
import type { PostgresStores } from '../src/index.js';
import { pgUrl, uniqueName } from '../../../test-support/services.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';

const schema = uniqueName('pgout');
let proxy: TcpProxy;
let admin: Pool;
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

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 150 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(condition()).toBe(true);
}

function everyPort(): Array<Promise<unknown>> {
  return [
    stores.sessions.get('s1'),
    stores.denyList.has('jti-1'),
    stores.replayCache.markIfAbsent('jti-2', 30),
    stores.attemptCounter.increment('ip-1', 60),
    stores.refreshTokens.create({
      familyId: 'fam-2',
      clientId: 'c',
      subject: 'alice',
      scope: 'api',
      tokenHash: 'g0',
      idleTtlSeconds: 60,
      absoluteTtlSeconds: 600,
    }),
    stores.refreshTokens.rotate({
      presentedHash: 'h0',
      successorHash: 'h1',
      clientId: 'c',
      graceSeconds: 5,
    }),
    stores.keys.list(),
  ];
}

describe('PostgreSQL adapters when the database is unreachable', () => {
  it('reject while it is down, then work again without a new adapter', async () => {
    await stores.denyList.add('jti-1', Date.now() / 1000 + 60);
    await stores.refreshTokens.create({
      familyId: 'fam-1',
      clientId: 'c',
      subject: 'alice',
      scope: 'api',
      tokenHash: 'h0',
      idleTtlSeconds: 60,
      absoluteTtlSeconds: 600,
    });
    const seen: Array<string | undefined> = [];
    const statuses: boolean[] = [];
    const unsubscribe = await stores.denyList.subscribe?.(
      (key) => seen.push(key),
      (live) => statuses.push(live),
    );

    await proxy.cut();
    // The subscription says at once that it no longer hears additions.
    await until(() => statuses.includes(false));
    const started = Date.now();
    const outcomes = await Promise.allSettled(everyPort());
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const { reason } = outcome as PromiseRejectedResult;
      expect(reason).toBeInstanceOf(StoreUnavailableError);
      expect(reason).toMatchObject({ status: 503 });
    }
    expect(Date.now() - started).toBeLessThan(3000);

    await proxy.restore();
    await expect(stores.denyList.has('jti-1')).resolves.toBe(true);
    await expect(stores.refreshTokens.getFamily('fam-2')).resolves.toBe(
      undefined,
    );
    await expect(
      stores.refreshTokens.rotate({
        presentedHash: 'h0',
        successorHash: 'h1',
        clientId: 'c',
        graceSeconds: 5,
      }),
    ).resolves.toMatchObject({ status: 'rotated' });

    // The LISTEN connection came back: "changes may have been missed", then
    // additions from another instance arrive again.
    await until(() => seen.includes(undefined));
    await until(() => statuses.at(-1) === true);
    expect(statuses[0]).toBe(false);
    const other = createPostgresStores({ pool: admin, schema });
    await other.denyList.add('jti-5', Date.now() / 1000 + 60);
    await until(() => seen.includes('jti-5'));
    await unsubscribe?.();
  });
});
