import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, UsageError } from '@autofarm/core';
import { PROCESS_WARMUPS, pythonExponent, runCalibration, summariseSize, type CalibrationResults, type Measure } from './calibrate.js';

/** A fake pipeline on the model 2e-7·size² + 0.01 with a seed-dependent ±1 % wobble. */
function fakeMeasure(calls: Array<[number, number]>): Measure {
  return async (size, seed) => {
    calls.push([size, seed]);
    const total = (2e-7 * size * size + 0.01) * (1 + ((seed % 3) - 1) * 0.01);
    return {
      totalSeconds: total,
      stages: { thumbnail: total * 0.1, compression: total * 0.2, metadata: total * 0.4, conversion: total * 0.3 },
    };
  };
}

describe('runCalibration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'autofarm-calibrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('warms up uncounted (the process at the smallest size, then once per size) and seeds trial j with seed + j', async () => {
    const calls: Array<[number, number]> = [];
    await runCalibration({ sizes: [200, 100], trials: 3, seed: 42, outDir: dir, measure: fakeMeasure(calls) });
    const processWarmups = Array.from({ length: PROCESS_WARMUPS }, () => [100, 42]);
    expect(calls).toEqual([...processWarmups, [200, 42], [200, 42], [200, 43], [200, 44], [100, 42], [100, 42], [100, 43], [100, 44]]);
  });

  it('refuses to write a model whose time does not grow with size, after writing the results', async () => {
    const config = join(dir, 'configuration.yml');
    copyFileSync(fileURLToPath(new URL('../../../../configuration.yml', import.meta.url)), config);
    const before = readFileSync(config, 'utf8');
    const shrinking: Measure = async (size) => ({
      totalSeconds: 1 / size,
      stages: { thumbnail: 0, compression: 0, metadata: 1 / size, conversion: 0 },
    });
    await expect(
      runCalibration({ sizes: [64, 128], trials: 1, seed: 1, outDir: dir, measure: shrinking, writeConfig: config }),
    ).rejects.toThrow(UsageError);
    expect(readFileSync(config, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'calibration_results.json'))).toBe(true);
  });

  it('writes the original schema plus metadata, and fits the model behind the timings', async () => {
    const { results, resultsFile } = await runCalibration({
      sizes: [512, 1024, 2048, 4096],
      trials: 3,
      seed: 42,
      outDir: dir,
      measure: fakeMeasure([]),
      now: () => new Date(2025, 0, 2, 3, 4, 5),
    });
    const onDisk = JSON.parse(readFileSync(resultsFile, 'utf8')) as CalibrationResults;
    expect(onDisk).toEqual(results);
    expect(onDisk.timestamp).toBe('2025-01-02 03:04:05');
    expect(onDisk.seed).toBe(42);
    expect(onDisk.model.model).toBe('quadratic');
    // Seeds 42, 43, 44 -> wobble -1 %, 0, +1 %: the means are exactly on the model.
    expect(onDisk.model.a).toBeCloseTo(2e-7, 15);
    expect(onDisk.model.b).toBeCloseTo(0.01, 10);
    expect(onDisk.model.r_squared).toBeCloseTo(1, 10);
    expect(onDisk.model.formula).toBe('time = 2.00e-07 * size² + 0.010000');
    expect(onDisk.results.map((r) => r.image_size)).toEqual([512, 1024, 2048, 4096]);
    const r0 = onDisk.results[0]!;
    expect(Object.keys(r0).sort()).toEqual(['image_size', 'max', 'mean', 'min', 'num_trials', 'p50', 'p95', 'stage_stats', 'std'].sort());
    expect(Object.keys(r0.stage_stats)).toEqual(['thumbnail', 'compression', 'metadata', 'conversion']);
    expect(r0.num_trials).toBe(3);
    expect(onDisk.model_check.median_ratio).toBeCloseTo(1, 10);
    expect(onDisk.metadata.machine.cores).toBeGreaterThan(0);
    expect(onDisk.metadata.sharp_version).toMatch(/^\d+\.\d+/);
    expect(onDisk.metadata.date).toBe(new Date(2025, 0, 2, 3, 4, 5).toISOString());
    expect(onDisk.metadata.autofarm_version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has the caller write the plot into the output directory and updates the calibrated_model of a configuration copy', async () => {
    const config = join(dir, 'configuration.yml');
    copyFileSync(fileURLToPath(new URL('../../../../configuration.yml', import.meta.url)), config);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const out = await runCalibration({
      sizes: [512, 1024],
      trials: 2,
      seed: 5,
      outDir: dir,
      measure: fakeMeasure([]),
      plot: (_r, file) => writeFileSync(file, png),
      writeConfig: config,
    });
    expect(out.plotFile).toBe(join(dir, 'calibration_plot.png'));
    expect(readFileSync(out.plotFile!)).toEqual(Buffer.from(png));
    const model = loadConfig(config).calibrated_model;
    expect(model.a).toBe(out.results.model.a);
    expect(model.b).toBe(out.results.model.b);
    expect(model.seed).toBe(5);
  });

  it('reports progress after every timed trial', async () => {
    const events: Array<[number, number, number, boolean]> = [];
    await runCalibration({
      sizes: [10, 20],
      trials: 2,
      seed: 1,
      outDir: dir,
      measure: fakeMeasure([]),
      onProgress: (e) => events.push([e.size, e.trial, e.done, e.result !== undefined]),
    });
    expect(events).toEqual([
      [10, 1, 1, false],
      [10, 2, 2, true],
      [20, 1, 3, false],
      [20, 2, 4, true],
    ]);
  });
});

describe('summariseSize', () => {
  it('uses the population std and linearly interpolated percentiles', () => {
    const stages = { thumbnail: 0, compression: 0, metadata: 0, conversion: 0 };
    const r = summariseSize(
      64,
      [1, 2, 3, 4].map((t) => ({ totalSeconds: t, stages: { ...stages, metadata: t } })),
    );
    expect(r.mean).toBe(2.5);
    expect(r.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(r.p50).toBe(2.5);
    expect(r.p95).toBeCloseTo(3.85, 12); // 1 + 0.95·3 = 3.85 -> between 3 and 4 at 0.85
    expect(r.stage_stats.metadata.mean).toBe(2.5);
    expect([r.min, r.max]).toEqual([1, 4]);
  });
});

describe('pythonExponent', () => {
  it('formats like Python %.2e', () => {
    expect(pythonExponent(1.70990132e-7)).toBe('1.71e-07');
    expect(pythonExponent(12345)).toBe('1.23e+04');
    expect(pythonExponent(1.5e-120)).toBe('1.50e-120');
  });
});
