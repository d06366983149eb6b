/**
 * Runs src/cli.ts through tsx as a child process and records its output,
 * for tests of the command line itself.
 */

import { spawn } from 'node:child_process';
import * as path from 'node:path';

const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
const ROOT_DIR = path.resolve(PACKAGE_DIR, '..', '..');
const CLI_PATH = path.join(PACKAGE_DIR, 'src', 'cli.ts');

/** A running CLI process. */
export interface CliRun {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once stdout holds `text`. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit code (or signal name) once the process ends. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the CLI with the given arguments. */
export function runCli(args: string[]): CliRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI_PATH, ...args],
    {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? signal ?? -1));
  });

  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (!stdout.includes(text)) return;
        clearInterval(poll);
        resolve();
      }, 20);
      exited.then(() => {
        clearInterval(poll);
        if (stdout.includes(text)) resolve();
        else reject(new Error(`exited without "${text}": ${stderr}`));
      });
    });

  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor,
    exited,
    kill: (signal) => child.kill(signal),
  };
}
