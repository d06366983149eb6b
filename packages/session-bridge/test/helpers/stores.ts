// The session stores the suites run against: memory, and the real Redis
// and PostgreSQL that `bash scripts/services.sh start` brings up.

import { Redis } from 'ioredis';
import { Pool } from 'pg';
import {
  createMemoryDenyList,
  createMemorySessionStore,
  createPostgresStores,
  createRedisStores,
  migratePostgres,
} from '@portcullis/stores';
import type { DenyList, SessionStore } from '@portcullis/stores';

import {
  pgUrl,
  redisUrl,
  uniqueName,
} from '../../../../test-support/services.js';

export interface StoreHandle {
  store: SessionStore;
  denyList: DenyList;
  close(): Promise<void>;
}

export type StoreKind = 'memory' | 'redis' | 'postgres';

export const STORE_KINDS: StoreKind[] = ['memory', 'redis', 'postgres'];

/** Opens a fresh, empty session store of the given kind on `now`. */
export async function openStore(
  kind: StoreKind,
  now: () => number,
): Promise<StoreHandle> {
  if (kind === 'memory') {
    return {
      store: createMemorySessionStore({ now }),
      denyList: createMemoryDenyList({ now }),
      close: async () => {},
    };
  }

  if (kind === 'redis') {
    const client = new Redis(redisUrl(), {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
    });
    const stores = createRedisStores({
      client,
      keyPrefix: `${uniqueName('sb')}:`,
      now,
    });
    return {
      store: stores.sessions,
      denyList: stores.denyList,
      close: async () => {
        client.disconnect();
      },
    };
  }

  const pool = new Pool({ connectionString: pgUrl(), max: 4 });
  const schema = uniqueName('sb');
  await migratePostgres(pool, { schema });
  const stores = createPostgresStores({ pool, schema, now });
  return {
    store: stores.sessions,
    denyList: stores.denyList,
    close: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
