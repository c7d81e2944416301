#!/usr/bin/env node
// Runs vitest (arguments pass through), then the Python package's pytest suite in python/.venv,
// and ends with ONE plain line `N passed, N failed` that CI reads: the two suites added up.
// Exits non-zero if either suite failed.
//
// The Python suite runs when python/.venv exists (scripts/setup-python.sh makes it) and no
// vitest arguments were given (they select vitest files). Without the venv it is NOT silently
// passed: under CI it counts as one failure; elsewhere a warning says the Python tests did not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'autofarm-tests-'));
const args = process.argv.slice(2);

function runVitest() {
  const report = join(dir, 'vitest.json');
  const vitest = spawnSync(
    'pnpm',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
    { stdio: 'inherit', cwd: root },
  );
  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    counts.passed = r.numPassedTests;
    counts.failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
    counts.skipped = r.numPendingTests + r.numTodoTests;
  } catch {
    counts.failed = 1;
  }
  return { ...counts, ok: vitest.status === 0 };
}

function runPytest(python) {
  const report = join(dir, 'pytest.xml');
  const pytest = spawnSync(python, ['-m', 'pytest', 'python/tests', '-q', '-p', 'no:cacheprovider', `--junitxml=${report}`], {
    stdio: 'inherit',
    cwd: root,
  });
  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    // <testsuite name="pytest" errors="0" failures="0" skipped="0" tests="19" ...>
    const suite = /<testsuite\b[^>]*>/.exec(readFileSync(report, 'utf8'))?.[0] ?? '';
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? NaN);
    const [tests, failures, errors, skipped] = ['tests', 'failures', 'errors', 'skipped'].map(attr);
    if ([tests, failures, errors, skipped].some(Number.isNaN)) throw new Error('unreadable pytest report');
    counts.failed = failures + errors;
    counts.skipped = skipped;
    counts.passed = tests - failures - errors - skipped;
  } catch {
    counts.failed = 1;
  }
  // Exit 5 is "no tests collected": an empty suite is a failure here, not a pass.
  if (pytest.status !== 0 && counts.failed === 0) counts.failed = 1;
  return { ...counts, ok: pytest.status === 0 && counts.failed === 0 };
}

const vitest = runVitest();
const total = { passed: vitest.passed, failed: vitest.failed, skipped: vitest.skipped };
let ok = vitest.ok;

const python = process.env.AUTOFARM_PYTHON ?? join(root, 'python', '.venv', 'bin', 'python');
if (args.length > 0) {
  console.log('(python tests not run: the arguments select vitest files; run `pnpm test` without arguments for both suites)');
} else if (existsSync(python)) {
  const py = runPytest(python);
  console.log(`vitest: ${vitest.passed} passed, ${vitest.failed} failed; pytest: ${py.passed} passed, ${py.failed} failed`);
  total.passed += py.passed;
  total.failed += py.failed;
  total.skipped += py.skipped;
  ok &&= py.ok;
} else if (process.env.CI) {
  console.log(`python tests: ${python} is missing; CI must create it (bash scripts/setup-python.sh). Counted as a failure.`);
  total.failed += 1;
  ok = false;
} else {
  console.log(`WARNING: python tests NOT run: no ${python}. Create it with: bash scripts/setup-python.sh`);
}

rmSync(dir, { recursive: true, force: true });
console.log(
  total.skipped > 0
    ? `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`
    : `${total.passed} passed, ${total.failed} failed`,
);
process.exit(ok ? 0 : 1);
