// Shared jest preset: TypeScript through @swc/jest, workspace packages
// resolved to their sources, and the ESM-only dependencies (jose,
// openid-client, oauth4webapi) transformed to CommonJS so that jest on
// Node 20 can load them. The pattern matches pnpm's .pnpm/NAME@VERSION layout.
const path = require('node:path');

const esmOnly = ['jose', 'openid-client', 'oauth4webapi'].join('|');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(ts|js|mjs|cjs)$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [
    `/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${esmOnly})/)`,
  ],
  moduleNameMapper: {
    '^@portcullis/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
};
