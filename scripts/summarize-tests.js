#!/usr/bin/env node
/*
 * Prints the one summary line CI reads: "N passed, N failed". Counts jest and
 * Playwright tests from their JSON reports, plus static checks (lint, tsc, …)
 * as one test each. A step that failed without writing a report (a crash)
 * still counts as a failure. Exits non-zero when anything failed.
 */
const fs = require('fs');
const path = require('path');

const [outDir, staticPassedArg, failedStepsArg, failedNames] =
  process.argv.slice(2);
let passed = Number(staticPassedArg);
let failed = 0;
const readJson = file => {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, file), 'utf8'));
  } catch {
    return undefined;
  }
};

const jest = readJson('jest.json');
if (jest) {
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  // Suites that failed to run at all (syntax errors, crashes) have no tests.
  failed += jest.testResults.filter(
    r => r.status === 'failed' && r.assertionResults.length === 0,
  ).length;
  const skipped = jest.numPendingTests + jest.numTodoTests;
  if (skipped > 0) console.log(`jest: ${skipped} skipped or todo tests`);
} else {
  failed += 1;
  console.log('jest: no report written');
}

const e2e = readJson('e2e-results.json');
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  if (e2e.stats.skipped > 0) console.log(`e2e: ${e2e.stats.skipped} skipped`);
  failed += (e2e.errors ?? []).length;
} else {
  failed += 1;
  console.log('e2e: no report written');
}

// Static checks that failed count once each (jest/e2e counted above).
const stepFailures = (failedNames || '')
  .split(' ')
  .filter(name => name && name !== 'jest' && name !== 'e2e').length;
failed += stepFailures;

if (Number(failedStepsArg) > 0) {
  console.log(`failed steps: ${failedNames}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || Number(failedStepsArg) > 0 ? 1 : 0);
