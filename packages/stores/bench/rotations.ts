// Refresh-token rotations per second on memory, Redis and PostgreSQL, run
// sequentially and with 16 clients in flight (each on its own family).
// Usage, from the repository root, with the private services running:
//   eval "$(bash scripts/services.sh start)"
//   pnpm exec tsx packages/stores/bench/rotations.ts

import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { Pool } from 'pg';

import {
  createMemoryRefreshTokenStore,
  createPostgresStores,
  createRedisStores,
  migratePostgres,
} from '../src/index.js';
import type { RefreshTokenStore } from '../src/index.js';

const DURATION_MS = 3000;
const IN_FLIGHT = 16;

const hash = (): string => randomBytes(32).toString('base64url');

/** One client rotating its own family as fast as the store allows. */
async function rotateLoop(
  store: RefreshTokenStore,
  deadlineMs: number,
): Promise<number> {
  let current = hash();
  await store.create({
    familyId: hash(),
    clientId: 'bench',
    subject: 'alice',
    scope: 'api',
    tokenHash: current,
    idleTtlSeconds: 3600,
    absoluteTtlSeconds: 3600,
  });

  let rotations = 0;
  while (Date.now() < deadlineMs) {
    const successor = hash();
    const result = await store.rotate({
      presentedHash: current,
      successorHash: successor,
      clientId: 'bench',
      graceSeconds: 10,
    });
    if (result.status !== 'rotated') throw new Error(result.status);
    current = successor;
    rotations += 1;
  }
  return rotations;
}

async function measure(name: string, store: RefreshTokenStore): Promise<void> {
  for (const clients of [1, IN_FLIGHT]) {
    const deadline = Date.now() + DURATION_MS;
    const counts = await Promise.all(
      Array.from({ length: clients }, () => rotateLoop(store, deadline)),
    );
    const total = counts.reduce((a, b) => a + b, 0);
    const perSecond = Math.round(total / (DURATION_MS / 1000));
    process.stdout.write(`${name}\t${clients} in flight\t${perSecond}/s\n`);
  }
}

async function main(): Promise<void> {
  await measure('memory', createMemoryRefreshTokenStore());

  const redis = new Redis(process.env.PORTCULLIS_REDIS_URL ?? '');
  const keyPrefix = `bench:${hash()}:`;
  await measure(
    'redis',
    createRedisStores({ client: redis, keyPrefix }).refreshTokens,
  );
  const keys = await redis.keys(`${keyPrefix}*`);
  for (let i = 0; i < keys.length; i += 1000) {
    await redis.del(...keys.slice(i, i + 1000));
  }
  await redis.quit();

  const pool = new Pool({
    connectionString: process.env.PORTCULLIS_PG_URL,
    max: IN_FLIGHT,
  });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await migratePostgres(pool, { schema });
  await measure(
    'postgresql',
    createPostgresStores({ pool, schema }).refreshTokens,
  );
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
}

await main();
