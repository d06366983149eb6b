/**
 * Session-backed route throughput on Redis: Portcullis's session-bridge
 * against express-session with connect-redis. Each server runs in its own
 * process; autocannon drives them alternately, round after round, with one
 * signed-in session's cookie, on a route that writes the session on every
 * request and on one that only reads it. Prints a markdown table of medians
 * and ratios. Needs PORTCULLIS_REDIS_URL (scripts/services.sh start).
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

const ROUNDS = 4;
const SECONDS_PER_RUN = 4;
const CONNECTIONS = 32;
const VARIANTS = ['portcullis', 'express-session'] as const;
const ROUTES = ['/write', '/read'] as const;

type Variant = (typeof VARIANTS)[number];

interface Server {
  url: string;
  cookie: string;
  child: ChildProcess;
}

function startServer(variant: Variant, redisUrl: string): Promise<Server> {
  const script = fileURLToPath(new URL('./session-server.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, variant, redisUrl],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${variant} exited ${code}`)),
    );
    child.stdout!.on('data', async (chunk: Buffer) => {
      const match = /BENCH_READY (\{.*\})/.exec(chunk.toString());
      if (!match) return;
      const url = `http://127.0.0.1:${JSON.parse(match[1]!).port}`;
      const first = await fetch(`${url}/write`);
      const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
      resolve({ url, cookie, child });
    });
  });
}

async function measure(server: Server, route: string): Promise<number> {
  const result = await autocannon({
    url: `${server.url}${route}`,
    connections: CONNECTIONS,
    duration: SECONDS_PER_RUN,
    headers: { cookie: server.cookie },
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${server.url}${route}: ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const redisUrl = process.env.PORTCULLIS_REDIS_URL;
  if (!redisUrl) throw new Error('PORTCULLIS_REDIS_URL is not set');

  const servers = {
    portcullis: await startServer('portcullis', redisUrl),
    'express-session': await startServer('express-session', redisUrl),
  };
  const samples = new Map<string, number[]>();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const route of ROUTES) {
        // Alternate the order each round so neither always runs first.
        const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          const key = `${variant} ${route}`;
          const value = await measure(servers[variant], route);
          samples.set(key, [...(samples.get(key) ?? []), value]);
          process.stderr.write(
            `round ${round + 1} ${key}: ${value.toFixed(0)} req/s\n`,
          );
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) server.child.kill();
  }

  const lines = [
    '| route | session-bridge (req/s) | express-session + connect-redis (req/s) | ratio |',
    '| --- | --- | --- | --- |',
  ];
  for (const route of ROUTES) {
    const ours = median(samples.get(`portcullis ${route}`)!);
    const theirs = median(samples.get(`express-session ${route}`)!);
    const label =
      route === '/write' ? 'writes the session' : 'reads the session';
    lines.push(
      [
        '',
        ` \`${route}\` (${label}) `,
        ` ${ours.toFixed(0)} `,
        ` ${theirs.toFixed(0)} `,
        ` ${(ours / theirs).toFixed(2)} `,
        '',
      ].join('|'),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
