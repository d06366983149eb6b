// Checks one signature on the signature worker and prints the outcome:
// nothing but the pending check keeps this process alive meanwhile.
import { generateKeyPairSync, sign } from 'node:crypto';

import {
  sharedSignatureWorker,
  verifySignatureOnWorker,
} from '../../src/signature-worker.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
});
const data = Buffer.from('header.payload');
const signature = sign('sha256', data, {
  key: privateKey,
  dsaEncoding: 'ieee-p1363',
});

const worker = sharedSignatureWorker();
if (!(await worker.ready())) throw new Error('no worker');
const valid = await verifySignatureOnWorker(
  'ES256',
  publicKey,
  data,
  signature,
);
process.stdout.write(`valid=${valid} byWorker=${worker.answeredByWorker}\n`);
