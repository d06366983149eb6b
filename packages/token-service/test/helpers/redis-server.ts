/**
 * A private redis-server on a free loopback port, for tests that stop,
 * pause and restart it under a live client. Its append-only file is synced
 * on every write, so a restart after SIGKILL comes back with its data, as
 * a persistent production Redis would.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_LINE = 'Ready to accept';
const START_LIMIT_MS = 5000;

/** A redis-server process that this test owns. */
export interface PrivateRedis {
  readonly port: number;
  /** Starts the server on its port; no-op while it runs. */
  start(): Promise<void>;
  /** Kills it with SIGKILL, as a crash would; no-op when stopped. */
  kill(): Promise<void>;
  /** Removes its data; only while it is stopped. */
  wipe(): Promise<void>;
  /** SIGSTOP: it keeps its connections but answers nothing. */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Kills it and removes its directory. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

async function waitForReady(child: ChildProcess): Promise<void> {
  let output = '';
  let failed = false;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  // A missing binary fails the test with its message instead of a crash.
  child.once('error', (error) => {
    failed = true;
    output += `${error.message} (install redis-server)`;
  });
  const deadline = Date.now() + START_LIMIT_MS;
  while (!output.includes(READY_LINE) && Date.now() < deadline) {
    if (failed || child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.stdout?.off('data', collect);
  child.stdout?.resume();
  if (!output.includes(READY_LINE)) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start:\n${output}`);
  }
}

/** Creates (without starting) a private redis-server. */
export async function createPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-redis-'));
  let child: ChildProcess | undefined;

  const running = (): ChildProcess | undefined =>
    child !== undefined && child.exitCode === null && child.signalCode === null
      ? child
      : undefined;

  async function start(): Promise<void> {
    if (running() !== undefined) return;

    const args = ['--port', String(port), '--bind', '127.0.0.1'];
    args.push('--dir', dir, '--save', '', '--appendonly', 'yes');
    args.push('--appendfsync', 'always');
    child = spawn('redis-server', args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await waitForReady(child);
  }

  async function kill(): Promise<void> {
    const process = running();
    if (process === undefined) return;

    const exited = once(process, 'exit');
    process.kill('SIGCONT');
    process.kill('SIGKILL');
    await exited;
  }

  async function wipe(): Promise<void> {
    if (running() !== undefined) throw new Error('redis-server is running');
    await rm(join(dir, 'appendonlydir'), { recursive: true, force: true });
  }

  return {
    port,
    start,
    kill,
    wipe,
    pause: () => running()?.kill('SIGSTOP'),
    resume: () => running()?.kill('SIGCONT'),
    async dispose() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
