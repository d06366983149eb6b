// Checks each package's build: the CommonJS entry loads with require(), the
// ESM entry with import(), both expose the same non-empty set of names, and
// type declarations exist for both. Run after `turbo run build`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
let failures = 0;

for (const name of readdirSync(path.join(root, 'packages'))) {
  const dir = path.join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json')));
  const entry = manifest.exports['.'];
  const files = [
    entry.require.default,
    entry.require.types,
    entry.import.default,
    entry.import.types,
  ].map((file) => path.join(dir, file));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    console.log(`${manifest.name}: missing ${missing.join(', ')}`);
    failures += 1;
    continue;
  }

  const cjs = Object.keys(require(files[0])).sort();
  const esm = Object.keys(await import(pathToFileURL(files[2]).href)).sort();
  if (cjs.length === 0 || cjs.join() !== esm.join()) {
    console.log(`${manifest.name}: CommonJS and ESM exports differ`);
    failures += 1;
    continue;
  }
  console.log(`${manifest.name}: ${cjs.length} exports from CommonJS and ESM`);
}

process.exit(failures === 0 ? 0 : 1);
