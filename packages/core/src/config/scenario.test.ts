import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../errors.js';
import { loadConfig } from './load.js';
import { listScenarios, loadScenario, mergeOverlay } from './scenario.js';

const root = join(import.meta.dirname, '../../../..');
const base = join(root, 'configuration.yml');

function tempScenario(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'autofarm-scenario-')), 'mine.yml');
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

describe('mergeOverlay', () => {
  it('merges mappings key by key and replaces lists and scalars', () => {
    const merged = mergeOverlay({ a: { b: 1, c: 2 }, l: [1, 2, 3], s: 'x' }, { a: { c: 5 }, l: [9], s: 'y', n: 1 });
    expect(merged).toEqual({ a: { b: 1, c: 5 }, l: [9], s: 'y', n: 1 });
  });
});

describe('loadScenario', () => {
  it('ships at least ten scenarios, each valid with a one-line description', () => {
    const names = listScenarios(join(root, 'scenarios'));
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const s = loadScenario(name, { base });
      expect(s.name).toBe(name);
      expect(s.description.length).toBeGreaterThan(20);
      expect(s.description).not.toContain('\n');
    }
  });

  it('overlays only what the scenario sets: canonical equals the base configuration', () => {
    expect(loadScenario('canonical', { base }).config).toEqual(loadConfig(base));
    const tenX = loadScenario('farm-10x', { base }).config;
    expect(tenX.scaling.max_workers).toBe(320);
    expect(tenX.workload.base_rate).toBe(3000);
    expect(tenX.workload.phases).toEqual(loadConfig(base).workload.phases);
  });

  it('applies overrides after the overlay', () => {
    const s = loadScenario('farm-10x', { base, overrides: [{ path: 'scaling.initial_workers', value: 200, flag: '--initial-workers' }] });
    expect(s.config.scaling.initial_workers).toBe(200);
  });

  it('reports a bad value with the scenario file, its path, what was expected and what was found', () => {
    const file = tempScenario(
      'description: broken\nscaling:\n  max_workers: 0\nworkload:\n  phases:\n    - { name: ' +
        'p, pattern: spike, multiplier: 1, duration: 10 }\n',
    );
    const err = (() => {
      try {
        loadScenario(file, { base });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err.message).toContain(file);
    expect(issuesOf(() => loadScenario(file, { base }))).toEqual(
      expect.arrayContaining([
        'scaling.max_workers: expected >= 1, found 0',
        'workload.phases[0].spike: required for pattern "spike" (expected an object, found nothing)',
      ]),
    );
  });

  it('requires a one-line description', () => {
    expect(issuesOf(() => loadScenario(tempScenario('workload: { base_rate: 10 }\n'), { base }))).toEqual([
      'description: expected a one-line string, found nothing',
    ]);
  });

  it('names the flag, the known scenarios and what was found for an unknown name', () => {
    expect(() => loadScenario('no-such-scenario', { base })).toThrow(UsageError);
    expect(() => loadScenario('no-such-scenario', { base })).toThrow(
      /--scenario: expected a scenario name \(bursty, .*\) or a \.yml file, found "no-such-scenario"/,
    );
  });
});
