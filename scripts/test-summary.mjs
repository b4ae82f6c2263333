// Prints the closing line "N passed, N failed, N skipped" of a CI run (used by .ci/run): vitest's JSON report
// plus, when present, Playwright's (test-results/e2e-results.json).
import { existsSync, readFileSync } from 'node:fs';

const vitestFile = process.argv[2] ?? '.vitest-results.json';
const e2eFile = process.argv[3] ?? 'test-results/e2e-results.json';
let passed = 0;
let failed = 0;
let skipped = 0;

try {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests ?? 0;
  // A suite that fails to load has no failed tests but fails the run: count it as one failure.
  failed += Math.max(report.numFailedTests ?? 0, report.success === false ? 1 : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} catch (err) {
  console.log(`unit/integration tests: no report (${err.message})`);
  failed += 1;
}

if (existsSync(e2eFile)) {
  try {
    const stats = JSON.parse(readFileSync(e2eFile, 'utf8')).stats ?? {};
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    failed += stats.unexpected ?? 0;
    skipped += stats.skipped ?? 0;
  } catch (err) {
    console.log(`e2e: unreadable report (${err.message})`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
