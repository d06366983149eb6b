/**
 * Test helper: runs a TypeScript entry point through tsx as a child process
 * and waits for the line it prints when it is ready: `PREFIX {json}`.
 * Node builtins only, because jest loads this file as CommonJS.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const DEFAULT_READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_OUTPUT_CHARS = 16_000;

/** The workspace root. */
export const ROOT_DIR = path.resolve(__dirname, '..');

/** What to run and how to know it is ready. */
export interface SpawnReadyOptions {
  /** The .ts entry point, absolute. */
  script: string;
  args?: string[];
  /** Working folder; tsx reads the tsconfig.json found there. */
  cwd?: string;
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  /** The ready line's first word, such as `PORTCULLIS_DEMO_READY`. */
  readyPrefix: string;
  /** How long to wait for the ready line. Default: 30000 ms. */
  readyTimeoutMs?: number;
}

/** A child process that printed its ready line. */
export interface SpawnedProcess<T> {
  /** The JSON the ready line carried. */
  ready: T;
  /** Everything the child printed on stderr so far (the tail). */
  stderr(): string;
  /** Sends SIGTERM and resolves once the child has exited. */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  const exited = waitForExit(child);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
  }
  return exited;
}

// Only complete lines count: a chunk may end in the middle of the line.
function findReadyJson(stdout: string, prefix: string): string | undefined {
  const complete = stdout.split('\n').slice(0, -1);
  const line = complete.find((l) => l.startsWith(`${prefix} `));
  return line?.slice(prefix.length + 1);
}

/**
 * Starts the script and resolves once it prints its ready line. Rejects
 * with the child's stderr when it exits first, or when the wait times out.
 */
export function spawnReady<T>(
  options: SpawnReadyOptions,
): Promise<SpawnedProcess<T>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', options.script, ...(options.args ?? [])],
    {
      cwd: options.cwd ?? ROOT_DIR,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_OUTPUT_CHARS);
  });

  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (result: Error | { ready: T }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('close', onExit);
      if (result instanceof Error) {
        stopChild(child).then(() => reject(result), reject);
        return;
      }

      resolve({
        ready: result.ready,
        stderr: () => stderr,
        stop: () => stopChild(child),
      });
    };
    const name = path.basename(options.script);
    // 'close' comes after the pipes end, so stderr is complete by then.
    const onExit = (code: number | null, signal: string | null) => {
      const status = signal ?? `code ${code}`;
      settle(new Error(`${name} exited (${status}) before ready\n${stderr}`));
    };
    child.once('close', onExit);
    child.once('error', (error) => settle(error));
    const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const timer = setTimeout(() => {
      settle(new Error(`${name} not ready after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);

    child.stdout?.on('data', (chunk: string) => {
      if (settled) return;
      stdout = (stdout + chunk).slice(-MAX_OUTPUT_CHARS);
      const json = findReadyJson(stdout, options.readyPrefix);
      if (json === undefined) return;
      try {
        settle({ ready: JSON.parse(json) as T });
      } catch {
        settle(new Error(`${name} printed a malformed ready line: ${json}`));
      }
    });
  });
}
