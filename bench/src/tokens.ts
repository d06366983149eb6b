/**
 * token-service and stores benchmark (`pnpm bench:tokens`): refresh
 * rotations through `tokenService.refresh()` on memory, Redis and
 * PostgreSQL, then the cost a deny-list check adds to jwt-guard's verify.
 * Prints the machine, progress on stderr, and markdown tables on stdout.
 * Needs PORTCULLIS_REDIS_URL and PORTCULLIS_PG_URL (scripts/bench.sh
 * starts the services).
 *
 * Settings (environment): BENCH_TOKENS_ROUNDS (7), BENCH_TOKENS_MS (1000).
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import { Pool } from 'pg';

import {
  createMemoryDenyList,
  createMemoryRefreshTokenStore,
  createPostgresStores,
  createRedisStores,
  migratePostgres,
} from '@portcullis/stores';

import { head, median, rate, ratio, row, spread } from './jwt-guard/stats.js';

// The micro sign, kept out of the source as an escape (ASCII only).
const MICRO = '\u00b5';
import {
  CACHE_MODES,
  DENY_IN_FLIGHT,
  DENY_LISTS,
  runDenyList,
} from './tokens/deny-list.js';
import type { DenyCell } from './tokens/deny-list.js';
import {
  ROTATION_IN_FLIGHT,
  ROTATION_STORES,
  runRotations,
} from './tokens/rotations.js';
import type { RotationCell } from './tokens/rotations.js';

const IN_FLIGHT_MAX = 16;
const PACKAGES_DIR = fileURLToPath(new URL('../../packages', import.meta.url));

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number`);
  }

  return value;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run scripts/bench.sh tokens`);
  }

  return value;
}

function cpuModel(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const line = info.split('\n').find((l) => l.startsWith('model name'));
  return line?.split(':')[1]?.trim() ?? 'unknown';
}

function commit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', PACKAGES_DIR) !== '';
    return dirty ? `${head} + uncommitted changes in packages/` : head;
  } catch {
    return 'unknown';
  }
}

function progress(line: string): void {
  process.stderr.write(`[bench:tokens] ${line}\n`);
}

function load(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

function rotationTable(cells: RotationCell[]): string {
  const find = (store: string, path: string, inFlight: number) =>
    cells.find(
      (c) => c.store === store && c.path === path && c.inFlight === inFlight,
    ) as RotationCell;
  const rows = head(
    [
      'store',
      'in flight',
      '`refresh()` (rotations/s)',
      'per round',
      `${MICRO}s per \`refresh()\``,
      'store `rotate` alone (rotations/s)',
      `${MICRO}s per \`rotate\``,
      '`refresh()` / `rotate`',
      'per round',
    ],
    'lrrrrrrrr',
  );
  for (const inFlight of ROTATION_IN_FLIGHT) {
    // With n in flight, each call takes about n / throughput.
    const micros = (perSecond: number) =>
      ((inFlight * 1e6) / perSecond).toFixed(0);
    for (const store of ROTATION_STORES) {
      const full = find(store, 'refresh', inFlight);
      const bare = find(store, 'rotate', inFlight);
      const perRound = full.rounds.map(
        (v, i) => v / (bare.rounds[i] as number),
      );
      rows.push(
        row([
          store,
          inFlight,
          rate(full.median),
          range(full.rounds),
          micros(full.median),
          rate(bare.median),
          micros(bare.median),
          ratio(median(perRound)),
          spread(perRound),
        ]),
      );
    }
    const mint = find('none', 'mint', inFlight);
    rows.push(
      row([
        'none: `mintAccessToken` alone',
        inFlight,
        `${rate(mint.median)} (mints/s)`,
        range(mint.rounds),
        micros(mint.median),
        '',
        '',
        '',
        '',
      ]),
    );
  }

  return rows.join('\n');
}

function range(values: readonly number[]): string {
  return `${rate(Math.min(...values))}\u2013${rate(Math.max(...values))}`;
}

function denyTable(cells: DenyCell[]): string {
  const find = (cache: string, list: string, inFlight: number) =>
    cells.find(
      (c) => c.cache === cache && c.list === list && c.inFlight === inFlight,
    ) as DenyCell;
  const rows = head(
    [
      'cache',
      'in flight',
      'deny-list',
      'verifications/s',
      'per round',
      'with / without',
      'per round',
      `${MICRO}s added per verification`,
    ],
    'lrlrrrrr',
  );
  for (const cache of CACHE_MODES) {
    for (const inFlight of DENY_IN_FLIGHT) {
      const base = find(cache, 'none', inFlight);
      const ping = find(cache, 'ping', inFlight);
      const pingMicros = ((inFlight * 1e6) / ping.median).toFixed(0);
      const name = cache === 'off' ? '`tokenCache: false`' : 'default';
      rows.push(
        row([
          name,
          inFlight,
          'reference: Redis `PING` alone, no verify',
          rate(ping.median),
          range(ping.rounds),
          '',
          '',
          `${pingMicros} ${MICRO}s per \`PING\``,
        ]),
      );
      for (const list of DENY_LISTS) {
        const cell = find(cache, list, inFlight);
        const lead = [
          name,
          inFlight,
          list === 'none' ? 'none' : `\`${list}\``,
          rate(cell.median),
          range(cell.rounds),
        ];
        if (list === 'none') {
          rows.push(row([...lead, '1.00', '', '']));
          continue;
        }

        // Same-round comparisons, so that load drifting between rounds
        // cancels out; time added is derived from throughput.
        const ratios = cell.rounds.map(
          (v, i) => v / (base.rounds[i] as number),
        );
        const added = cell.rounds.map(
          (v, i) => 1e6 / v - 1e6 / (base.rounds[i] as number),
        );
        rows.push(
          row([
            ...lead,
            ratio(median(ratios)),
            spread(ratios),
            median(added).toFixed(1),
          ]),
        );
      }
    }
  }

  return rows.join('\n');
}

async function main(): Promise<void> {
  const rounds = setting('BENCH_TOKENS_ROUNDS', 7);
  const millis = setting('BENCH_TOKENS_MS', 1000);
  const startLoad = load();
  const startedAt = new Date().toISOString();

  const redis = new Redis(requireEnv('PORTCULLIS_REDIS_URL'), {
    enableAutoPipelining: true,
  });
  const keyPrefix = `bench_tokens_${randomBytes(4).toString('hex')}:`;
  const redisStores = createRedisStores({ client: redis, keyPrefix });
  const pool = new Pool({
    connectionString: requireEnv('PORTCULLIS_PG_URL'),
    max: IN_FLIGHT_MAX,
  });
  const schema = `bench_tokens_${randomBytes(4).toString('hex')}`;
  await migratePostgres(pool, { schema });
  const pgStores = createPostgresStores({ pool, schema });

  try {
    progress(`rotations: ${rounds} rounds of ${millis} ms per cell`);
    const rotations = await runRotations(
      {
        memory: createMemoryRefreshTokenStore(),
        redis: redisStores.refreshTokens,
        postgresql: pgStores.refreshTokens,
      },
      rounds,
      millis,
      progress,
    );
    progress(`deny-list: ${rounds} rounds of ${millis} ms per cell`);
    const deny = await runDenyList(
      { memory: createMemoryDenyList(), redis: redisStores.denyList },
      () => redis.ping(),
      rounds,
      millis,
      progress,
    );

    const lines = [
      `Machine: ${availableParallelism()} CPUs (${cpuModel()}), ` +
        `Node ${process.version}, ${process.platform} ${process.arch}; ` +
        `commit ${commit()}; started ${startedAt}.`,
      `Load average (1, 5, 15 min): ${startLoad} at the start, ` +
        `${load()} at the end.`,
      '',
      `#### Refresh rotations (median of ${rounds} rounds of ${millis} ms)`,
      '',
      rotationTable(rotations),
      '',
      "#### Deny-list check in jwt-guard's verify " +
        `(median of ${rounds} rounds of ${millis} ms)`,
      '',
      denyTable(deny),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    const keys = await redis.keys(`${keyPrefix}*`);
    for (let i = 0; i < keys.length; i += 1000) {
      await redis.del(...keys.slice(i, i + 1000));
    }
    await redis.quit();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

await main();
