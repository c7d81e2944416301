import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig, parseConfig } from './load.js';
import { configJsonSchema } from './json-schema.js';

const shipped = join(import.meta.dirname, '../../../../configuration.yml');

function writeTemp(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'autofarm-config-')), 'configuration.yml');
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts the shipped configuration.yml with the original defaults', () => {
    const c = loadConfig(shipped);
    expect(c.workload.phases).toHaveLength(4);
    expect(c.workload.base_rate).toBe(300);
    expect(c.reward.weights.qos).toBe(36);
    expect(c.scaling).toEqual({ min_workers: 1, max_workers: 32, initial_workers: 12, max_delta: 1 });
    expect(c.episode.max_steps).toBe(40);
  });

  it('fills every default from a file with only the phases', () => {
    const c = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 10 }] } });
    expect(c.sarsa.alpha).toBe(0.025);
    expect(c.tasks.processing_time).toEqual({ mean: 1.5, shape: 4 });
    expect(c.baselines.hpa.tolerance).toBe(0.1);
  });

  it('reports each bad value on its own line with YAML path, expected and found', () => {
    const text = readFileSync(shipped, 'utf8')
      .replace('base_rate: 300 ', 'base_rate: fast ')
      .replace('duration: 60\n    - name: Steady High Load', 'duration: -5\n    - name: Steady High Load')
      .replace('pattern: oscillation_fast', 'pattern: zigzag')
      .replace('      oscillation: { min: 0.5, max: 1.5, cycles: 1 }\n', '');
    const issues = issuesOf(() => loadConfig(writeTemp(text)));
    expect(issues).toEqual(
      expect.arrayContaining([
        'workload.base_rate: expected number, found "fast"',
        'workload.phases[0].duration: expected > 0, found -5',
        expect.stringMatching(/^workload\.phases\[3\]\.pattern: expected one of "steady".*found "zigzag"$/),
        expect.stringMatching(/^workload\.phases\[2\]\.oscillation: required for pattern "oscillation_slow"/),
      ]),
    );
  });

  it('names a missing required phase field', () => {
    const issues = issuesOf(() => parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', duration: 10 }] } }));
    expect(issues).toEqual(['workload.phases[0].multiplier: expected number, found nothing']);
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    const issues = issuesOf(() =>
      parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 10 }] }, scalling: {} }),
    );
    expect(issues).toEqual(['(top level): unknown key(s) "scalling"']);
  });

  it('applies overrides and names the flag when one is invalid', () => {
    const c = loadConfig(shipped, [{ path: 'episode.max_steps', value: 7, flag: '--max-steps' }]);
    expect(c.episode.max_steps).toBe(7);
    const issues = issuesOf(() => loadConfig(shipped, [{ path: 'scaling.initial_workers', value: 99, flag: '--initial-workers' }]));
    expect(issues).toEqual(['--initial-workers: expected within [1, 32], found 99']);
    const typeIssues = issuesOf(() => loadConfig(shipped, [{ path: 'episode.max_steps', value: 0, flag: '--max-steps' }]));
    expect(typeIssues).toEqual(['--max-steps: expected > 0, found 0']);
  });

  it('reports min_workers above max_workers once, without an impossible range for initial_workers', () => {
    const issues = issuesOf(() => loadConfig(shipped, [{ path: 'scaling.min_workers', value: 40 }]));
    expect(issues).toEqual(['scaling.min_workers: expected <= max_workers (32), found 40']);
  });

  it('blames the flags, not the file, when only flag values are bad', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(message(() => loadConfig(shipped, [{ path: 'scaling.initial_workers', value: 99, flag: '--workers' }]))).toBe(
      '--workers: expected within [1, 32], found 99',
    );
  });

  it('reports a missing file and YAML syntax errors as ConfigError', () => {
    expect(issuesOf(() => loadConfig('/nonexistent/configuration.yml'))).toEqual(['(file): cannot read it (ENOENT)']);
    expect(issuesOf(() => loadConfig(writeTemp('workload: [unclosed\n')))[0]).toMatch(/^line \d+, column \d+: YAML syntax/);
  });

  it('reports one mis-indented YAML line as one line with its position', () => {
    const issues = issuesOf(() =>
      loadConfig(writeTemp('seed: 1\nworkload:\n  phases:\n    - name: a\n     pattern: steady\n    multiplier: 1\n')),
    );
    expect(issues).toEqual(['line 5, column 1: YAML syntax: Sequence item without - indicator']);
  });

  it('emits a JSON Schema that describes every top-level block', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['workload', 'reward', 'sarsa', 'dqn', 'baselines', 'sim', 'local', 'openfaas']),
    );
    expect(schema.properties.backend?.description).toMatch(/sim/);
  });
});

describe('configuration.schema.json', () => {
  it('is committed up to date with the schema (regenerate: pnpm -s config-schema > configuration.schema.json)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../configuration.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});
