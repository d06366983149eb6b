// The build every package shares: ESM and CommonJS bundles with type
// declarations for each, for Node 20.
import { defineConfig } from 'tsup';

export function packageBuild(entry: string[] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    // tsup's declaration build sets baseUrl, which TypeScript 6 deprecates.
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: true,
    sourcemap: true,
    target: 'node20',
  });
}
