/**
 * Test helper: runs packages/dev-idp as a child process and waits for its
 * ready line. oidc-provider is ESM-only, which jest on Node 20 cannot load
 * in-process; a child process also gives every suite a fresh IdP. Node
 * builtins only, because jest loads this file as CommonJS.
 */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const READY_PREFIX = 'PORTCULLIS_DEV_IDP_READY ';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_STDERR_CHARS = 16_000;
const ROOT_DIR = path.resolve(__dirname, '..');
const CLI_PATH = path.join(ROOT_DIR, 'packages/dev-idp/src/cli.ts');

/** Options of {@link spawnDevIdp}: the one client the IdP registers. */
export interface SpawnDevIdpOptions {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** A dev IdP running in a child process. */
export interface SpawnedDevIdp {
  /** The issuer, `http://127.0.0.1:PORT`. */
  issuer: string;
  /** Sends SIGTERM and resolves once the child has exited. */
  stop(): Promise<void>;
}

function buildArgs(options: SpawnDevIdpOptions): string[] {
  const args = ['--import', 'tsx', CLI_PATH, '--port', '0'];
  args.push('--client-id', options.clientId);
  args.push('--client-secret', options.clientSecret);
  for (const uri of options.redirectUris) args.push('--redirect-uri', uri);
  return args;
}

// Only complete lines count: a chunk may end in the middle of the line.
function readReadyLine(stdout: string): string | undefined {
  const complete = stdout.split('\n').slice(0, -1);
  return complete.find((line) => line.startsWith(READY_PREFIX));
}

function parseIssuer(line: string): Error | string {
  try {
    const ready: unknown = JSON.parse(line.slice(READY_PREFIX.length));
    const issuer = (ready as { issuer?: unknown }).issuer;
    if (typeof issuer === 'string') return issuer;
  } catch {
    // Falls through to the error below.
  }

  return new Error(`dev IdP printed a malformed ready line: ${line}`);
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

/**
 * Starts `packages/dev-idp/src/cli.ts` through tsx on an ephemeral port and
 * resolves with its issuer once it prints the ready line.
 *
 * Rejects with the child's stderr when it exits first, or after 20 s.
 */
export function spawnDevIdp(
  options: SpawnDevIdpOptions,
): Promise<SpawnedDevIdp> {
  const child = spawn(process.execPath, buildArgs(options), {
    cwd: ROOT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-MAX_STDERR_CHARS);
  });

  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (result: Error | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('close', onExit);
      if (result instanceof Error) {
        stopChild(child).then(() => reject(result), reject);
        return;
      }

      resolve({ issuer: result, stop: () => stopChild(child) });
    };

    const onExit = (code: number | null, signal: string | null) => {
      const status = signal ?? `code ${code}`;
      settle(new Error(`dev IdP exited (${status}) before ready\n${stderr}`));
    };
    // 'close' comes after the pipes end, so stderr is complete by then.
    child.once('close', onExit);
    child.once('error', (error) => settle(error));
    timer = setTimeout(() => {
      const reason = `dev IdP not ready after ${READY_TIMEOUT_MS} ms`;
      settle(new Error(`${reason}\n${stderr}`));
    }, READY_TIMEOUT_MS);

    child.stdout?.on('data', (chunk: string) => {
      if (settled) return;
      stdout += chunk;
      const line = readReadyLine(stdout);
      if (line !== undefined) settle(parseIssuer(line));
    });
  });
}
