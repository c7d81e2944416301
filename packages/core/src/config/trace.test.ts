import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig, parseConfig } from './load.js';
import { loadScenario } from './scenario.js';
import { parseTraceCsv } from './trace.js';

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('trace CSV', () => {
  it('reads the last column of each line, skipping a header, blank lines and comments', () => {
    expect(parseTraceCsv('# made up\nminute,count\n0,5\n1,0\n\n2,7.5\n', 't.csv')).toEqual([5, 0, 7.5]);
    expect(parseTraceCsv('3\n4\n', 't.csv')).toEqual([3, 4]);
  });

  it('names the line of a bad count', () => {
    expect(issues(() => parseTraceCsv('minute,count\n0,5\n1,-2\n2,x\n', 't.csv'))).toEqual([
      'line 3: expected a count >= 0 in the last column, found "-2"',
      'line 4: expected a count >= 0 in the last column, found "x"',
    ]);
    expect(issues(() => parseTraceCsv('# nothing\n', 't.csv'))).toEqual(['(file): expected at least one count, found none']);
  });
});

describe('pattern: trace in a configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autofarm-trace-'));
  writeFileSync(join(dir, 'counts.csv'), 'minute,count\n0,10\n1,30\n');
  const phase = (trace: Record<string, unknown>) => ({
    workload: { phases: [{ name: 't', pattern: 'trace', multiplier: 1, duration: 120, trace }] },
  });

  it('reads the counts of a file named relative to the configuration file', () => {
    const file = join(dir, 'configuration.yml');
    writeFileSync(
      file,
      'workload:\n  phases:\n    - { name: t, pattern: trace, multiplier: 1, duration: 120, trace: { file: counts.csv, interval: 60 } }\n',
    );
    expect(loadConfig(file).workload.phases[0]!.trace).toEqual({ file: join(dir, 'counts.csv'), interval: 60, counts: [10, 30] });
  });

  it("reads a scenario's trace relative to the scenario file", () => {
    const base = join(dir, 'configuration.yml');
    const scenario = join(dir, 'sub', 'replay.yml');
    writeFileSync(base, 'workload:\n  phases: [{ name: p, pattern: steady, multiplier: 1, duration: 10 }]\n');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'c.csv'), '4\n8\n');
    writeFileSync(
      scenario,
      'description: a replay\nworkload:\n  phases:\n    - { name: t, pattern: trace, multiplier: ' +
        '1, duration: 2, trace: { file: c.csv, interval: 1 } }\n',
    );
    expect(loadScenario(scenario, { base }).config.workload.phases[0]!.trace?.counts).toEqual([4, 8]);
  });

  it('reports a missing trace or an unreadable file with its path', () => {
    expect(issues(() => parseConfig({ workload: { phases: [{ name: 't', pattern: 'trace', multiplier: 1, duration: 60 }] } }))).toEqual([
      'workload.phases[0].trace: required for pattern "trace" (expected an object, found nothing)',
    ]);
    expect(issues(() => parseConfig(phase({ interval: 60 })))).toEqual([
      'workload.phases[0].trace.file: expected a CSV file (or counts), found nothing',
    ]);
    expect(issues(() => parseConfig(phase({ file: join(dir, 'missing.csv') })))[0]).toMatch(
      /^workload\.phases\[0\]\.trace\.file: cannot read ".*missing\.csv" \(ENOENT\)$/,
    );
  });
});
