// Runs one key through RESTARTS signature workers in turn, drops the key,
// collects garbage and prints how many times the worker instance was told
// that the key is gone (once is right). Needs --expose-gc.
import { generateKeyPairSync, sign } from 'node:crypto';

import { SignatureWorker } from '../../src/signature-worker.js';

const RESTARTS = 8;
const worker = new SignatureWorker(undefined, 10);
const data = Buffer.from('header.payload');
let pair: ReturnType<typeof generateKeyPairSync> | undefined =
  generateKeyPairSync('ed25519');
const signature = sign(null, data, pair.privateKey);
for (let i = 0; i < RESTARTS; i += 1) {
  await worker.ready();
  if (!(await worker.check('EdDSA', pair.publicKey, data, signature))) {
    throw new Error('a valid signature was refused');
  }

  while (worker.running) await new Promise((r) => setTimeout(r, 5));
}

pair = undefined;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
for (let i = 0; i < 10; i += 1) {
  gc();
  await new Promise((r) => setTimeout(r, 20));
}

process.stdout.write(
  `started=${worker.threadsStarted} forgotten=${worker.keysForgotten}\n`,
);
