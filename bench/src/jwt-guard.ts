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

import { GUARDS, isPortcullis } from './jwt-guard/guards.js';
import type { Guard } from './jwt-guard/guards.js';
import { runHttp } from './jwt-guard/http.js';
import type { HttpResult } from './jwt-guard/http.js';
import { ALGORITHMS, createKeys } from './jwt-guard/keys.js';
import { runMicro } from './jwt-guard/micro.js';
import type { MicroResult } from './jwt-guard/micro.js';
import { median, rate, ratio, spread } from './jwt-guard/stats.js';

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
  const rows = [
    '| alg | raw `crypto.verify` (verif/s) | Portcullis `verify`, cache off (verif/s) | cache off / raw | per round | Portcullis `verify`, default: cache hit (verif/s) | cache hit / raw | jose `jwtVerify` (verif/s) | jose / raw |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const alg of ALGORITHMS) {
    const { raw, portcullis, cached, jose } = result[alg];
    const perRound = portcullis.rounds.map(
      (value, i) => value / (raw.rounds[i] as number),
    );
    rows.push(
      `| ${alg} | ${rate(raw.median)} | ${rate(portcullis.median)} | ${ratio(portcullis.median / raw.median)} | ${spread(perRound)} | ${rate(cached.median)} | ${ratio(cached.median / raw.median)} | ${rate(jose.median)} | ${ratio(jose.median / raw.median)} |`,
    );
  }

  return rows.join('\n');
}

const NAMES: Record<Guard, string> = {
  unguarded: 'unguarded',
  portcullis: 'Portcullis `requireAuth`, cache off',
  'portcullis-cached': 'Portcullis `requireAuth`, default (cache on)',
  'oauth2-jwt-bearer': 'express-oauth2-jwt-bearer `auth()`',
  'express-jwt': 'express-jwt + jwks-rsa',
  'passport-jwt': 'passport-jwt + jwks-rsa',
};

function httpTables(result: HttpResult): string {
  const base = result.rps.get('unguarded');
  const baseRps = base?.median ?? Number.NaN;
  const rows = [
    '| route | alg | req/s (median) | vs unguarded | req/s per round |',
    '| --- | --- | ---: | ---: | --- |',
    `| unguarded | — | ${rate(baseRps)} | 1.00 | ${base?.rounds.map(rate).join(', ') ?? ''} |`,
  ];
  const summary = [
    '| alg | Portcullis | req/s | fastest peer (by median) | its req/s | Portcullis / peer (medians) | same-round ratios: median (min–max) |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const alg of ALGORITHMS) {
    let best: { guard: Guard; rps: number } | undefined;
    for (const guard of GUARDS) {
      const entry = result.rps.get(`${guard} ${alg}`);
      if (entry === undefined) {
        rows.push(`| ${NAMES[guard]} | ${alg} | not supported | — | — |`);
        continue;
      }

      rows.push(
        `| ${NAMES[guard]} | ${alg} | ${rate(entry.median)} | ${ratio(entry.median / baseRps)} | ${entry.rounds.map(rate).join(', ')} |`,
      );
      if (
        !isPortcullis(guard) &&
        (best === undefined || entry.median > best.rps)
      ) {
        best = { guard, rps: entry.median };
      }
    }

    const peer = best && result.rps.get(`${best.guard} ${alg}`);
    for (const variant of ['portcullis', 'portcullis-cached'] as const) {
      const ours = result.rps.get(`${variant} ${alg}`);
      if (best === undefined || ours === undefined || peer === undefined) {
        continue;
      }

      // Each round loads every server once, so a same-round ratio compares
      // figures taken a few seconds apart under similar machine load.
      const paired = ours.rounds.map((v, i) => v / (peer.rounds[i] as number));
      const label = variant === 'portcullis' ? 'cache off' : 'default';
      summary.push(
        `| ${alg} | ${label} | ${rate(ours.median)} | ${NAMES[best.guard]} | ${rate(best.rps)} | ${ratio(ours.median / best.rps)} | ${ratio(median(paired))} (${spread(paired)}) |`,
      );
    }
  }

  return `${rows.join('\n')}\n\n${summary.join('\n')}`;
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
  };
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

  progress('micro benchmark');
  const microResult = await runMicro(keys, micro.rounds, micro.millis);
  process.stdout.write(
    `Machine: ${machine}\n\n### Verify pipeline (one call at a time, median of ${micro.rounds} rounds of ${micro.millis} ms)\n\n${microTable(microResult)}\n\n`,
  );

  progress('HTTP benchmark');
  const httpResult = await runHttp(keys, http, progress);
  process.stdout.write(
    `### HTTP (autocannon, ${http.connections} connections, median of ${http.rounds} rounds of ${http.seconds} s)\n\n${httpTables(httpResult)}\n\n`,
  );
  process.stdout.write(
    `Non-2xx answers, errors or timeouts under load: ${httpResult.failures}. JWKS fetches: ${httpResult.jwksFetches}. Load average at start ${loadAtStart}, at end ${load()}. Total time: ${Math.round((Date.now() - started) / 1000)} s.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
