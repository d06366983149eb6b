#!/usr/bin/env node
// Runs the built CLI; `pnpm build` creates dist/ first.
import '../dist/cli.js';
