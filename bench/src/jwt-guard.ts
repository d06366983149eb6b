/**
 * jwt-guard benchmark (`pnpm bench:jwt-guard`): a micro benchmark of the
 * verify pipeline against raw `crypto.verify`, then an HTTP benchmark of
 * one Express 5 route guarded by Portcullis and by its peers. Prints the
 * machine, progress on stderr, and markdown tables on stdout.
 *
 * Settings (environment): BENCH_MICRO_ROUNDS (5), BENCH_MICRO_MS (400),
 * BENCH_HTTP_ROUNDS (4), BENCH_HTTP_SECONDS (3), BENCH_CONNECTIONS (32).
 */

import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

import { autoSignatureThread } from '@portcullis/jwt-guard';

import type { Guard } from './jwt-guard/guards.js';
import { runHttp } from './jwt-guard/http.js';
import type { HttpResult, Target, TokenMode } from './jwt-guard/http.js';
import { ALGORITHMS, createKeys } from './jwt-guard/keys.js';
import { runMicro } from './jwt-guard/micro.js';
import type { MicroResult } from './jwt-guard/micro.js';
import {
  NONE,
  cpuTimes,
  head,
  rate,
  ratio,
  row,
  spread,
  stealPercent,
} from './jwt-guard/stats.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number`);
  }

  return value;
}

function cpuModel(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const line = info.split('\n').find((l) => l.startsWith('model name'));
  return line?.split(':')[1]?.trim() ?? 'unknown';
}

function progress(line: string): void {
  process.stderr.write(`[bench:jwt-guard] ${line}\n`);
}

function microTable(result: MicroResult): string {
  const rows = head(
    [
      'alg',
      'raw `crypto.verify` (verif/s)',
      'Portcullis `verify`, cache off (verif/s)',
      'cache off / raw',
      'per round',
      'Portcullis `verify`, default: cache hit (verif/s)',
      'cache hit / raw',
      'jose `jwtVerify` (verif/s)',
      'jose / raw',
    ],
    'lrrrrrrrr',
  );
  for (const alg of ALGORITHMS) {
    const { raw, portcullis, cached, jose } = result[alg];
    const perRound = portcullis.rounds.map(
      (value, i) => value / (raw.rounds[i] as number),
    );
    rows.push(
      row([
        alg,
        rate(raw.median),
        rate(portcullis.median),
        ratio(portcullis.median / raw.median),
        spread(perRound),
        rate(cached.median),
        ratio(cached.median / raw.median),
        rate(jose.median),
        ratio(jose.median / raw.median),
      ]),
    );
  }

  return rows.join('\n');
}

const NAMES: Record<Guard, string> = {
  unguarded: 'unguarded',
  portcullis: 'Portcullis `requireAuth`, cache off',
  'portcullis-cached': 'Portcullis `requireAuth`, default options',
  'portcullis-event-loop':
    'Portcullis `requireAuth`, `signatureThread: event-loop`',
  'portcullis-thread-pool':
    'Portcullis `requireAuth`, `signatureThread: thread-pool`',
  'portcullis-worker': 'Portcullis `requireAuth`, `signatureThread: worker`',
  'oauth2-jwt-bearer': 'express-oauth2-jwt-bearer `auth()`',
  'express-jwt': 'express-jwt + jwks-rsa',
  'passport-jwt': 'passport-jwt + jwks-rsa',
};

const TOKENS: Record<TokenMode, string> = {
  none: 'no token',
  same: 'same token (warm)',
  fresh: 'new token each request',
};

function baseOf(target: Target): string {
  return `unguarded ${target.tokens === 'none' ? 'none' : target.tokens}`;
}

// Same-round ratios of `a` to `b`: each round loads every server once, so
// these compare figures taken seconds apart under similar machine load.
function paired(result: HttpResult, a: string, b: string): string {
  const x = result.rps.get(a);
  const y = result.rps.get(b);
  if (x === undefined || y === undefined) return NONE;
  const ratios = x.rounds.map((v, i) => v / (y.rounds[i] as number));
  return `${ratio(x.median / y.median)} (${spread(ratios)})`;
}

function httpTables(result: HttpResult): string {
  const rows = head(
    [
      'route',
      'alg',
      'requests carry',
      'req/s (median)',
      'vs unguarded, same requests',
      'req/s per round',
    ],
    'lllrrl',
  );
  for (const target of result.targets) {
    const entry = result.rps.get(target.label);
    if (entry === undefined) continue;
    const base = result.rps.get(baseOf(target));
    const vs = base === undefined ? NONE : ratio(entry.median / base.median);
    const alg = target.guard === 'unguarded' ? NONE : target.alg;
    rows.push(
      row([
        NAMES[target.guard],
        alg,
        TOKENS[target.tokens],
        rate(entry.median),
        vs,
        entry.rounds.map(rate).join(', '),
      ]),
    );
  }

  const atLeast = '\u2265';
  const summary = head(
    [
      'alg',
      '`auto` checks on',
      `warm / unguarded (target ${atLeast} 0.95)`,
      `fresh / unguarded (target ${atLeast} 0.80)`,
      `fresh / express-oauth2-jwt-bearer (target ${atLeast} 1.4)`,
      'fresh / fastest other peer',
      'worker / thread pool, fresh',
      'thread pool / event loop, fresh',
    ],
    'llrrrrrr',
  );
  for (const alg of ALGORITHMS) {
    const warm = `portcullis-cached ${alg} same`;
    // The default, `auto`, checks the signature where the table says.
    const fresh = `portcullis-${autoSignatureThread(alg)} ${alg} fresh`;
    let best: { label: string; rps: number } | undefined;
    for (const guard of ['express-jwt', 'passport-jwt'] as const) {
      const label = `${guard} ${alg} fresh`;
      const rps = result.rps.get(label)?.median;
      if (rps !== undefined && (best === undefined || rps > best.rps)) {
        best = { label, rps };
      }
    }

    const worker = `portcullis-worker ${alg} fresh`;
    const pool = `portcullis-thread-pool ${alg} fresh`;
    const loop = `portcullis-event-loop ${alg} fresh`;
    summary.push(
      row([
        alg,
        autoSignatureThread(alg),
        paired(result, warm, 'unguarded same'),
        paired(result, fresh, 'unguarded fresh'),
        paired(result, fresh, `oauth2-jwt-bearer ${alg} fresh`),
        best === undefined
          ? 'not supported'
          : paired(result, fresh, best.label),
        paired(result, worker, pool),
        paired(result, pool, loop),
      ]),
    );
  }

  return [
    ...rows,
    '',
    'Ratios of medians, with the range of same-round ratios in brackets:',
    '',
    ...summary,
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const micro = {
    rounds: setting('BENCH_MICRO_ROUNDS', 5),
    millis: setting('BENCH_MICRO_MS', 400),
  };
  const http = {
    rounds: setting('BENCH_HTTP_ROUNDS', 4),
    seconds: setting('BENCH_HTTP_SECONDS', 3),
    connections: setting('BENCH_CONNECTIONS', 32),
    only: (process.env.BENCH_ONLY ?? '').split(',').filter((o) => o !== ''),
  };
  const parts = (process.env.BENCH_PARTS ?? 'micro,http').split(',');
  const cpus = `${availableParallelism()} CPUs (${cpuModel()})`;
  const runtime = `Node ${process.version}, ${process.platform} ${process.arch}`;
  const machine = `${cpus}, ${runtime}`;
  const load = (): string =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  const loadAtStart = load();
  progress(machine);
  const keys = createKeys();

  process.stdout.write(`Machine: ${machine}\n\n`);
  if (parts.includes('micro')) {
    progress('micro benchmark');
    const microResult = await runMicro(keys, micro.rounds, micro.millis);
    const title =
      '### Verify pipeline (one call at a time, ' +
      `median of ${micro.rounds} rounds of ${micro.millis} ms)`;
    process.stdout.write(`${title}\n\n${microTable(microResult)}\n\n`);
  }

  if (!parts.includes('http')) return;
  progress('HTTP benchmark');
  const cpuBefore = cpuTimes();
  const httpResult = await runHttp(keys, http, progress);
  const steal = stealPercent(cpuBefore, cpuTimes());
  const title =
    `### HTTP (autocannon, ${http.connections} connections, ` +
    `median of ${http.rounds} rounds of ${http.seconds} s)`;
  process.stdout.write(`${title}\n\n${httpTables(httpResult)}\n\n`);
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(
    [
      `Non-2xx answers, errors or timeouts under load: ${httpResult.failures}.`,
      `JWKS fetches: ${httpResult.jwksFetches}.`,
      `Load average at start ${loadAtStart}, at end ${load()}.`,
      `CPU time taken by the hypervisor (steal) during the HTTP part: ${steal}.`,
      `Total time: ${seconds} s.\n`,
    ].join(' '),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
