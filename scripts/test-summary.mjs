// Prints one plain "N passed, N failed" line from vitest JSON reports (CI does not read vitest's own summary).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`missing test report: ${file}`);
    missing += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  for (const suite of report.testResults ?? []) if (suite.status === 'failed' && suite.assertionResults?.length === 0) failed += 1;
}
console.log(`${passed} passed, ${failed + missing} failed`);
process.exitCode = failed + missing > 0 || passed === 0 ? 1 : 0;
