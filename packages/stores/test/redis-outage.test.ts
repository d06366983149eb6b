// Stop-the-store behaviour: a private redis-server is stopped under a live
// client; every port rejects with StoreUnavailableError (callers fail
// closed) and works again when the server returns, with the same adapter.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

import { Redis } from 'ioredis';

import { StoreUnavailableError, createRedisStores } from '../src/index.js';
import type { RedisStores } from '../src/index.js';

let port: number;
let server: ChildProcess | undefined;
let client: Redis;
let stores: RedisStores;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port: found } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return found;
}

async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', ''],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let i = 0; i < 100 && !output.includes('Ready to accept'); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!output.includes('Ready to accept')) throw new Error(output);
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  server = child;
}

async function stopRedis(): Promise<void> {
  if (server === undefined || server.exitCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
  server = undefined;
}

async function waitUntilReady(): Promise<void> {
  for (let i = 0; i < 100 && client.status !== 'ready'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(condition()).toBe(true);
}

// Each call exercises one port with a read or an atomic write.
function everyPort(): Array<Promise<unknown>> {
  return [
    stores.sessions.get('s1'),
    stores.denyList.has('jti-1'),
    stores.replayCache.markIfAbsent('jti-2', 30),
    stores.attemptCounter.increment('ip-1', 60),
    stores.refreshTokens.rotate({
      presentedHash: 'h0',
      successorHash: 'h1',
      clientId: 'c',
      graceSeconds: 5,
    }),
    stores.keys.list(),
  ];
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  client = new Redis({
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: 500,
    connectTimeout: 500,
    retryStrategy: () => 50,
  });
  stores = createRedisStores({ client, keyPrefix: 'outage:' });
  await waitUntilReady();
});

afterAll(async () => {
  client.disconnect();
  await stopRedis();
});

describe('Redis adapters when Redis stops and returns', () => {
  it('reject while it is down, then work again without a new adapter', async () => {
    await stores.denyList.add('jti-1', Date.now() / 1000 + 60);
    await expect(stores.denyList.has('jti-1')).resolves.toBe(true);
    const seen: Array<string | undefined> = [];
    const statuses: boolean[] = [];
    const unsubscribe = await stores.denyList.subscribe?.(
      (key) => seen.push(key),
      (live) => statuses.push(live),
    );

    await stopRedis();
    // The subscription says at once that it no longer hears additions.
    await until(() => statuses.includes(false));
    const started = Date.now();
    const outcomes = await Promise.allSettled(everyPort());
    expect(outcomes.map((o) => o.status)).toEqual(
      Array(outcomes.length).fill('rejected'),
    );
    for (const outcome of outcomes) {
      const { reason } = outcome as PromiseRejectedResult;
      expect(reason).toBeInstanceOf(StoreUnavailableError);
      expect(reason).toMatchObject({
        status: 503,
        code: 'temporarily_unavailable',
      });
    }
    expect(Date.now() - started).toBeLessThan(2000);

    await startRedis();
    await waitUntilReady();
    await stores.denyList.add('jti-3', Date.now() / 1000 + 60);
    await expect(stores.denyList.has('jti-3')).resolves.toBe(true);
    await expect(stores.replayCache.markIfAbsent('jti-2', 30)).resolves.toBe(
      true,
    );

    // The subscriber reconnected: it says "changes may have been missed",
    // then carries new additions again.
    await until(() => seen.includes(undefined));
    await until(() => statuses.at(-1) === true);
    expect(statuses[0]).toBe(false);
    await stores.denyList.add('jti-4', Date.now() / 1000 + 60);
    await until(() => seen.includes('jti-4'));
    await unsubscribe?.();
  });
});
