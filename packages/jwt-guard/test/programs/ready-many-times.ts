// Awaits ready() twelve times at once on a starting worker (more than
// EventEmitter's default of ten listeners) and prints the warnings seen.
import { SignatureWorker } from '../../src/signature-worker.js';

const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(warning.name));
const worker = new SignatureWorker();
await Promise.all(Array.from({ length: 12 }, () => worker.ready()));
await new Promise((resolve) => setTimeout(resolve, 50));
await worker.terminate();
process.stdout.write(`warnings=${JSON.stringify(warnings)}\n`);
