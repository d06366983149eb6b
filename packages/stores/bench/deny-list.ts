// What one deny-list check costs: sequential `has` calls (the latency a
// request pays) on memory, Redis and PostgreSQL, and throughput with 16
// in flight. Usage as rotations.ts:
//   pnpm exec tsx packages/stores/bench/deny-list.ts

import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { Pool } from 'pg';

import {
  createMemoryDenyList,
  createPostgresStores,
  createRedisStores,
  migratePostgres,
} from '../src/index.js';
import type { DenyList } from '../src/index.js';

const DURATION_MS = 3000;
const IN_FLIGHT = 16;

async function checkLoop(list: DenyList, deadlineMs: number): Promise<number> {
  let checks = 0;
  while (Date.now() < deadlineMs) {
    await list.has(`jti-${checks % 100}`);
    checks += 1;
  }
  return checks;
}

async function measure(name: string, list: DenyList): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    await list.add(`jti-${i * 2}`, Date.now() / 1000 + 600);
  }

  for (const clients of [1, IN_FLIGHT]) {
    const deadline = Date.now() + DURATION_MS;
    const counts = await Promise.all(
      Array.from({ length: clients }, () => checkLoop(list, deadline)),
    );
    const total = counts.reduce((a, b) => a + b, 0);
    const perSecond = Math.round(total / (DURATION_MS / 1000));
    const micros = Math.round((DURATION_MS * 1000 * clients) / total);
    process.stdout.write(
      `${name}\t${clients} in flight\t${perSecond}/s\t${micros} us/check\n`,
    );
  }
}

async function main(): Promise<void> {
  await measure('memory', createMemoryDenyList());

  const redis = new Redis(process.env.PORTCULLIS_REDIS_URL ?? '');
  const keyPrefix = `bench:${randomBytes(8).toString('hex')}:`;
  await measure(
    'redis',
    createRedisStores({ client: redis, keyPrefix }).denyList,
  );
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();

  const pool = new Pool({
    connectionString: process.env.PORTCULLIS_PG_URL,
    max: IN_FLIGHT,
  });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await migratePostgres(pool, { schema });
  await measure('postgresql', createPostgresStores({ pool, schema }).denyList);
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
}

await main();
