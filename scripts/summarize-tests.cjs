// Adds up the jest result files that every package's test run writes and
// prints one closing line: "Tests: N passed, N failed, N skipped".
// Exits non-zero when a suite failed or a package wrote no results.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const totals = { passed: 0, failed: 0, skipped: 0, suitesFailed: 0 };
const missing = [];

for (const group of ['packages', 'apps']) {
  for (const name of fs.readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name);
    if (!fs.existsSync(path.join(dir, 'jest.config.cjs'))) continue;

    const file = path.join(dir, '.jest-results.json');
    if (!fs.existsSync(file)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const result = JSON.parse(fs.readFileSync(file, 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
    totals.skipped += result.numPendingTests + result.numTodoTests;
    totals.suitesFailed += result.numFailedTestSuites;
  }
}

if (missing.length > 0) {
  console.log(`no test results from: ${missing.join(', ')}`);
}
console.log(
  `Tests: ${totals.passed} passed, ${totals.failed} failed, ` +
    `${totals.skipped} skipped`,
);
const ok = totals.failed === 0 && totals.suitesFailed === 0 && !missing.length;
process.exit(ok ? 0 : 1);
