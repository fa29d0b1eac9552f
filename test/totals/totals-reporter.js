/**
 * A Jest reporter that appends each run's totals to one file, so that `npm test` can close on a
 * single line counting every tier (unit, deployment, end-to-end) together: see print-totals.js.
 */
const { appendFileSync } = require('node:fs');
const { totalsFile } = require('./totals-file');

class TotalsReporter {
  constructor(_globalConfig, options = {}) {
    this.tier = options.tier ?? 'jest';
  }

  onRunComplete(_contexts, results) {
    const line = {
      tier: this.tier,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    appendFileSync(totalsFile(), `${JSON.stringify(line)}\n`);
  }
}

module.exports = TotalsReporter;
