import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { formatYamlNumber, updateCalibratedModel, updateCalibratedModelText } from './edit.js';
import { loadConfig } from './load.js';

const shipped = fileURLToPath(new URL('../../../../configuration.yml', import.meta.url));
const model = { a: 9.87654321e-8, b: 0.0123, r_squared: 0.9987, seed: 7 };

const minimal = (block: string) => `workload:\n  phases:\n    - { name: Only, pattern: steady, multiplier: 1, duration: 10 }\n${block}`;

describe('updateCalibratedModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'autofarm-edit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('changes only the calibrated_model values of a copy of configuration.yml and keeps every comment', () => {
    const file = join(dir, 'configuration.yml');
    copyFileSync(shipped, file);
    const before = readFileSync(file, 'utf8').split('\n');
    updateCalibratedModel(file, model);
    const after = readFileSync(file, 'utf8').split('\n');

    expect(after).toHaveLength(before.length);
    const start = before.findIndex((l) => l.startsWith('calibrated_model:'));
    expect(start).toBeGreaterThanOrEqual(0);
    const changed = before.flatMap((line, i) => (line === after[i] ? [] : [i]));
    // Exactly the four value lines right under the block header, nothing else.
    expect(changed).toEqual([start + 1, start + 2, start + 3, start + 4]);
    expect(after.slice(start + 1, start + 5)).toEqual(['  a: 9.87654321e-8', '  b: 0.0123', '  r_squared: 0.9987', '  seed: 7']);
    // The header's comment survives, and the file still loads with the new values.
    expect(after[start]).toBe(before[start]);
    expect(after[start]).toContain('# time = a * size^2 + b');
    expect(loadConfig(file).calibrated_model).toEqual(model);
  });

  it('keeps a trailing comment on a value line', () => {
    const text = minimal('calibrated_model:\n  a: 1.0e-7   # fitted\n  b: 0.001\n  r_squared: 0.9\n  seed: 1\nseed: 3\n');
    const out = updateCalibratedModelText(text, model);
    expect(out).toBe(minimal('calibrated_model:\n  a: 9.87654321e-8   # fitted\n  b: 0.0123\n  r_squared: 0.9987\n  seed: 7\nseed: 3\n'));
  });

  it('adds missing keys to a block with the block indentation', () => {
    const text = minimal('calibrated_model:\n    a: 1.0e-7 # only a\nseed: 3\n');
    const out = updateCalibratedModelText(text, model);
    expect(out).toBe(
      minimal('calibrated_model:\n    a: 9.87654321e-8 # only a\n    b: 0.0123\n    r_squared: 0.9987\n    seed: 7\nseed: 3\n'),
    );
  });

  it('edits a flow-style block in place', () => {
    const text = minimal('calibrated_model: { a: 1.0e-7, b: 0.001 }  # short form\n');
    const out = updateCalibratedModelText(text, model);
    expect(out).toBe(minimal('calibrated_model: { a: 9.87654321e-8, b: 0.0123, r_squared: 0.9987, seed: 7 }  # short form\n'));
  });

  it('fills an empty block header and an empty value', () => {
    expect(updateCalibratedModelText(minimal('calibrated_model:\nseed: 3\n'), model)).toBe(
      minimal('calibrated_model: { a: 9.87654321e-8, b: 0.0123, r_squared: 0.9987, seed: 7 }\nseed: 3\n'),
    );
    expect(updateCalibratedModelText(minimal('calibrated_model:\n  a:\n  b: 0.1\n'), model)).toBe(
      minimal('calibrated_model:\n  a: 9.87654321e-8\n  b: 0.0123\n  r_squared: 0.9987\n  seed: 7\n'),
    );
  });

  it('appends the block when the file has none', () => {
    const text = minimal('# last comment\n');
    const out = updateCalibratedModelText(text, { ...model, r_squared: null });
    expect(out.startsWith(text)).toBe(true);
    expect(out.slice(text.length)).toBe('\ncalibrated_model:\n  a: 9.87654321e-8\n  b: 0.0123\n  r_squared: null\n  seed: 7\n');
  });

  it('refuses a model the schema rejects and leaves the file alone', () => {
    const file = join(dir, 'c.yml');
    const text = minimal('calibrated_model:\n  a: 1.0e-7\n');
    writeFileSync(file, text);
    expect(() => updateCalibratedModel(file, { ...model, b: -0.5 })).toThrow(ConfigError);
    expect(() => updateCalibratedModel(file, { ...model, b: -0.5 })).toThrow(/calibrated_model\.b/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('reports a missing file as a ConfigError naming it', () => {
    expect(() => updateCalibratedModel(join(dir, 'nope.yml'), model)).toThrow(/nope\.yml/);
  });
});

describe('formatYamlNumber', () => {
  it('writes numbers that YAML reads back as the same number', () => {
    expect(formatYamlNumber(1e-7)).toBe('1.0e-7');
    expect(formatYamlNumber(1.7099013205346125e-7)).toBe('1.7099013205346125e-7');
    expect(formatYamlNumber(42)).toBe('42');
    expect(formatYamlNumber(0.5)).toBe('0.5');
    expect(formatYamlNumber(null)).toBe('null');
  });
});
