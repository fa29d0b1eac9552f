/**
 * `reset` empties the totals file before a run; `print` closes `npm test` with one plain line
 * for every tier together ("N passed, N failed, N skipped"), and fails when a tier recorded a
 * failure or no tier ran a test at all.
 */
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { totalsFile } = require('./totals-file');

const file = totalsFile();
if (process.argv[2] === 'reset') {
  rmSync(file, { force: true });
  process.exit(0);
}
const tiers = existsSync(file)
  ? readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
const sum = (key) => tiers.reduce((n, tier) => n + tier[key], 0);
const passed = sum('passed');
const failed = sum('failed');
const skipped = sum('skipped');
process.stdout.write(`\n${tiers.map((t) => `${t.tier}: ${t.passed} passed, ${t.failed} failed`).join('; ')}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
if (failed > 0 || passed === 0) process.exit(1);
