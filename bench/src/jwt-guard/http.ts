/**
 * HTTP benchmark: each Express 5 server runs in its own child process
 * (`node --import tsx server.ts`), and autocannon (32 connections) loads
 * them one after another, in alternating order, for several rounds.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { GUARDS, READY_PREFIX, supports } from './guards.js';
import type { Guard } from './guards.js';
import { startJwksServer } from './jwks-server.js';
import { ALGORITHMS, AUDIENCE, signTokenPool } from './keys.js';
import type { Algorithm, BenchKey } from './keys.js';
import { median } from './stats.js';

const BENCH_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const SERVER_SCRIPT = path.join('src', 'jwt-guard', 'server.ts');
const READY_TIMEOUT_MS = 30_000;

/** The HTTP benchmark's settings. */
export interface HttpSettings {
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
  /** Run only the loads whose label contains one of these. */
  readonly only: readonly string[];
}

/**
 * What each request of a load carries: no Authorization header, the same
 * token every time (a client reusing its access token), or a token never
 * seen before (a pool larger than the guard's verified-token cache, sent
 * round-robin, so that every request misses the cache).
 */
export type TokenMode = 'none' | 'same' | 'fresh';

/** One load: a guard, the algorithm of its tokens and the token mode. */
export interface Target {
  readonly guard: Guard;
  readonly alg: Algorithm;
  readonly tokens: TokenMode;
  readonly label: string;
}

/** Median req/s of each target, with every round's figure. */
export interface HttpResult {
  readonly targets: readonly Target[];
  readonly rps: ReadonlyMap<string, { median: number; rounds: number[] }>;
  /** Non-2xx answers or errors seen while loading (should be 0). */
  readonly failures: number;
  readonly jwksFetches: number;
}

interface Running {
  readonly target: Target;
  readonly url: string;
  readonly pool: readonly string[];
  readonly child: ChildProcess;
  /** The next pool token to send; kept across loads of this server. */
  next: number;
}

/** Tokens per algorithm in the fresh-token pool: above the cache bound. */
export const POOL_SIZE = 12_000;

function startServer(
  target: Target,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT], {
    cwd: BENCH_DIR,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${target.label}: no ready line\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout
        .split('\n')
        .find((l) => l.startsWith(`${READY_PREFIX} `));
      if (line === undefined) return;
      clearTimeout(timer);
      const { port } = JSON.parse(line.slice(READY_PREFIX.length + 1)) as {
        port: number;
      };
      resolve({ child, port });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target.label}: exited ${code}\n${stderr}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

// Checks that the guard admits the token and refuses a tampered one and a
// request without one, so the figures measure a guard that works.
async function checkGuard(server: Running): Promise<void> {
  const token = server.pool[0];
  const good = await fetch(server.url, { headers: authHeaders(token) });
  if (good.status !== 200) {
    throw new Error(`${server.target.label}: good token got ${good.status}`);
  }

  if (token === undefined || server.target.guard === 'unguarded') return;
  const [head, body, signature] = token.split('.') as [string, string, string];
  const flipped = signature.startsWith('A') ? 'B' : 'A';
  const tampered = `${head}.${body}.${flipped}${signature.slice(1)}`;
  for (const headers of [authHeaders(tampered), {}]) {
    const bad = await fetch(server.url, { headers });
    if (bad.status !== 401) {
      throw new Error(`${server.target.label}: bad request got ${bad.status}`);
    }
  }
}

async function load(
  server: Running,
  connections: number,
  seconds: number,
): Promise<{ rps: number; failures: number }> {
  const { pool } = server;
  const options: autocannon.Options = {
    url: server.url,
    connections,
    duration: seconds,
    headers: authHeaders(pool[0]),
  };
  if (server.target.tokens === 'fresh') {
    // Round-robin over the whole pool, resumed where the last load of this
    // server stopped: a load restarting at the first token would find the
    // tokens of the previous load's end still cached.
    options.requests = [
      {
        method: 'GET',
        setupRequest(request) {
          const token = pool[server.next % pool.length] as string;
          server.next += 1;
          return { ...request, headers: authHeaders(token) };
        },
      },
    ];
  }

  const result = await autocannon(options);
  return {
    rps: result.requests.average,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

function target(guard: Guard, alg: Algorithm, tokens: TokenMode): Target {
  const label =
    guard === 'unguarded' ? `unguarded ${tokens}` : `${guard} ${alg} ${tokens}`;
  return { guard, alg, tokens, label };
}

/**
 * The loads of the benchmark: the unguarded route three ways (the two with
 * a token are the bases of the warm and fresh rows: same request bytes and
 * the same load-generator work), then per algorithm Portcullis warm (default
 * options), Portcullis on fresh tokens with the signature checked on the
 * event loop and on the thread pool, and each peer on fresh tokens (no
 * peer caches, so fresh and warm are the same work for them).
 * `only` keeps the labels that contain one of its entries.
 */
export function targetsOf(only: readonly string[] = []): Target[] {
  const targets: Target[] = [
    target('unguarded', 'ES256', 'none'),
    target('unguarded', 'ES256', 'same'),
    target('unguarded', 'ES256', 'fresh'),
  ];
  for (const alg of ALGORITHMS) {
    targets.push(target('portcullis-cached', alg, 'same'));
    for (const guard of GUARDS) {
      if (guard !== 'portcullis-cached' && supports(guard, alg)) {
        targets.push(target(guard, alg, 'fresh'));
      }
    }
  }

  if (only.length === 0) return targets;
  return targets.filter((t) => only.some((o) => t.label.includes(o)));
}

/** Runs the HTTP benchmark and stops every server it started. */
export async function runHttp(
  keys: Record<Algorithm, BenchKey>,
  settings: HttpSettings,
  progress: (line: string) => void,
): Promise<HttpResult> {
  const jwks = await startJwksServer(ALGORITHMS.map((alg) => keys[alg].jwk));
  const pools = {} as Record<Algorithm, string[]>;
  for (const alg of ALGORITHMS) {
    progress(`signing ${POOL_SIZE} ${alg} tokens`);
    pools[alg] = signTokenPool(keys[alg], jwks.issuer, POOL_SIZE);
  }

  const targets = targetsOf(settings.only);
  const running: Running[] = [];
  try {
    const started = await Promise.allSettled(
      targets.map((target) =>
        startServer(target, {
          BENCH_GUARD: target.guard,
          BENCH_ALG: target.alg,
          BENCH_ISSUER: jwks.issuer,
          BENCH_JWKS_URI: jwks.jwksUri,
          BENCH_AUDIENCE: AUDIENCE,
        }).then(({ child, port }) => {
          running.push({
            target,
            child,
            url: `http://127.0.0.1:${port}/api/me`,
            pool: target.tokens === 'none' ? [] : pools[target.alg],
            next: 0,
          });
        }),
      ),
    );
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    running.sort(
      (a, b) => targets.indexOf(a.target) - targets.indexOf(b.target),
    );
    for (const server of running) await checkGuard(server);
    progress(`all ${running.length} servers answer correctly; warming up`);
    for (const server of running) await load(server, settings.connections, 1);

    const samples = new Map<string, number[]>();
    let failures = 0;
    for (let round = 0; round < settings.rounds; round += 1) {
      // Rotate and alternate the order so no server always runs first.
      const shift = (round * 3) % running.length;
      let order = [...running.slice(shift), ...running.slice(0, shift)];
      if (round % 2 === 1) order = order.reverse();
      for (const server of order) {
        const { rps, failures: failed } = await load(
          server,
          settings.connections,
          settings.seconds,
        );
        failures += failed;
        const list = samples.get(server.target.label) ?? [];
        list.push(rps);
        samples.set(server.target.label, list);
      }

      progress(`round ${round + 1}/${settings.rounds} done`);
    }

    const rps = new Map<string, { median: number; rounds: number[] }>();
    for (const [label, rounds] of samples) {
      rps.set(label, { median: median(rounds), rounds });
    }

    return { targets, rps, failures, jwksFetches: jwks.fetches() };
  } finally {
    await Promise.all(running.map((server) => stop(server.child)));
    await jwks.close();
  }
}
