import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { main } from '../main.js';
import { parseSizes } from './calibrate.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('autofarm calibrate', () => {
  let err = '';
  let out = '';
  let dir: string;
  beforeEach(() => {
    err = '';
    out = '';
    dir = mkdtempSync(join(tmpdir(), 'autofarm-calibrate-cli-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => main(['node', 'autofarm', 'calibrate', ...args]);

  it('times tiny images and writes calibration_results.json and a PNG plot', async () => {
    const outDir = join(dir, 'out');
    expect(await run('--sizes', '64,128', '--trials', '2', '--seed', '7', '--out', outDir, '--config', shipped)).toBe(0);

    const results = JSON.parse(readFileSync(join(outDir, 'calibration_results.json'), 'utf8'));
    expect(results.seed).toBe(7);
    expect(results.results.map((r: { image_size: number; num_trials: number }) => [r.image_size, r.num_trials])).toEqual([
      [64, 2],
      [128, 2],
    ]);
    for (const r of results.results) {
      expect(r.min).toBeGreaterThan(0);
      expect(r.min).toBeLessThanOrEqual(r.p50);
      expect(r.p50).toBeLessThanOrEqual(r.p95);
      expect(r.p95).toBeLessThanOrEqual(r.max);
      for (const s of ['thumbnail', 'compression', 'metadata', 'conversion']) expect(r.stage_stats[s].mean).toBeGreaterThan(0);
    }
    expect(results.model).toMatchObject({
      model: 'quadratic',
      a: expect.any(Number),
      b: expect.any(Number),
      r_squared: expect.any(Number),
    });
    expect(results.metadata).toMatchObject({ sharp_concurrency: 1, warmup_trials: 1 });
    expect(readFileSync(join(outDir, 'calibration_plot.png')).subarray(0, 4)).toEqual(PNG);
    expect(out).toContain('fit: time =');
    expect(err).toContain('calibrate: 128 px');
  });

  it('with --write-config updates calibrated_model in the given configuration file', async () => {
    // 64 px vs 1024 px: 256x the pixels (about 15 ms vs 100+ ms here), so the fitted a is
    // positive even when the machine is busy; tiny sizes alone are dominated by fixed costs.
    const config = join(dir, 'configuration.yml');
    copyFileSync(shipped, config);
    expect(
      await run('--sizes', '64,1024', '--trials', '2', '--seed', '7', '--out', join(dir, 'out'), '--config', config, '--write-config'),
    ).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'calibration_results.json'), 'utf8'));
    expect(loadConfig(config).calibrated_model).toEqual({
      a: results.model.a,
      b: results.model.b,
      r_squared: results.model.r_squared,
      seed: 7,
    });
    expect(results.model.a).toBeGreaterThan(0);
    expect(out).toContain(`updated calibrated_model in ${config}`);
  });

  it.each([
    [['--sizes', '64'], '--sizes'],
    [['--sizes', '64,abc'], '--sizes'],
    [['--sizes', '4,64'], '--sizes'],
    [['--trials', '0'], '--trials'],
    [['--trials', '2.5'], '--trials'],
    [['--seed', 'x'], '--seed'],
  ])('exits 2 naming the flag for %j', async (args, flag) => {
    expect(await run(...args, '--out', dir, '--config', shipped)).toBe(2);
    expect(err).toContain(flag);
  });

  it('exits 2 naming the file when the configuration cannot be read', async () => {
    expect(await run('--sizes', '64,128', '--trials', '1', '--out', dir, '--config', join(dir, 'missing.yml'))).toBe(2);
    expect(err).toContain('missing.yml');
  });
});

describe('parseSizes', () => {
  it('reads a comma-separated list of sides', () => {
    expect(parseSizes('512, 1024,2048')).toEqual([512, 1024, 2048]);
  });
});
