/**
 * Calibration (reference §14): time the image pipeline on this machine for each size, fit
 * time = a·size² + b over the per-size means, write `calibration_results.json` (the original's
 * schema plus our metadata) and optionally a plot and the configuration's calibrated_model.
 *
 * Protocol: first PROCESS_WARMUPS uncounted runs at the smallest size (the first pipelines of
 * a process pay for loading libvips code and for V8 compiling the quantise and histogram
 * loops: without them the first two 64 px runs took 22.5 and 13.7 ms, the next 128 px runs
 * 8.3–8.6 ms); then per size one uncounted warm-up trial (allocator growth for the new size)
 * and `trials` timed trials; trial j processes the synthetic image seeded `seed + j`, as the
 * original seeded its generator with 42 + j. Only the four stages are timed (see
 * pipeline.ts); std is the population std.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, type } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { mean, quantile, std, updateCalibratedModel, UsageError } from '@autofarm/core';
import { fitQuadratic, quadraticTime } from './fit.js';
import { processImage, STAGES, type Stage } from './pipeline.js';

export const DEFAULT_SIZES = [512, 1024, 2048, 4096] as const;
export const DEFAULT_TRIALS = 10;
export const RESULTS_FILE = 'calibration_results.json';
export const PLOT_FILE = 'calibration_plot.png';
/** Uncounted pipeline runs before the first size (see the module comment). */
export const PROCESS_WARMUPS = 3;

/** One size's statistics, as the original's `results[]` entries (seconds). */
export interface SizeResult {
  image_size: number;
  num_trials: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  stage_stats: Record<Stage, { mean: number; std: number }>;
}

/** The contents of calibration_results.json. */
export interface CalibrationResults {
  /** Local time `YYYY-MM-DD HH:MM:SS`, as the original. */
  timestamp: string;
  seed: number;
  model: {
    model: 'quadratic';
    a: number;
    b: number;
    r_squared: number;
    /** `time = 1.71e-07 * size² + 0.001665` (Python's %.2e and %.6f). */
    formula: string;
    /** Least squares gave b < 0 and the fit was redone with b = 0 (see fit.ts). */
    b_clamped: boolean;
  };
  results: SizeResult[];
  /** Measured / model time: median over all timed trials, and per size (median of the trials). */
  model_check: { median_ratio: number; per_size: Array<{ image_size: number; model_seconds: number; median_ratio: number }> };
  /** Ours, not the original's: what ran, where, how. */
  metadata: {
    autofarm_version: string;
    date: string;
    machine: { os: string; release: string; arch: string; cpu_model: string; cores: number };
    /** 1-minute load average before and after timing: other work on the machine inflates and scatters the times. */
    load_average: { start: number; end: number };
    node_version: string;
    sharp_version: string;
    libvips_version: string;
    sharp_concurrency: number;
    /** Uncounted trials per size. */
    warmup_trials: number;
    /** Uncounted runs at the smallest size before the first size. */
    process_warmups: number;
    trial_seeds: string;
    timed: string;
  };
}

export interface CalibrationProgress {
  size: number;
  /** Timed trials finished for this size (0 after the warm-up). */
  trial: number;
  trials: number;
  /** Timed trials finished over all sizes, and the total. */
  done: number;
  total: number;
  /** Seconds of the trial just finished. */
  seconds: number;
  /** Set once a size is complete. */
  result?: SizeResult;
}

/** What a trial returns; `processImage` by default. */
export type Measure = (size: number, seed: number) => Promise<{ totalSeconds: number; stages: Record<Stage, number> }>;

export interface CalibrationOptions {
  sizes: readonly number[];
  trials: number;
  seed: number;
  /** Directory for calibration_results.json and calibration_plot.png; created if missing. */
  outDir: string;
  /** When set, the calibrated_model block of this configuration file is updated in place. */
  writeConfig?: string;
  /**
   * Writes the figure of the fit to `file` (calibration_plot.png in outDir). Injected by the
   * caller because plots live in @autofarm/runs, which farm may not import
   * (core <- workload <- farm <- env <- runs <- cli).
   */
  plot?: (results: CalibrationResults, file: string) => unknown;
  onProgress?: (event: CalibrationProgress) => void;
  /** Replaces the pipeline (tests of the bookkeeping). */
  measure?: Measure;
  /** Clock for the timestamp; default `new Date()`. */
  now?: () => Date;
}

export interface CalibrationOutcome {
  results: CalibrationResults;
  resultsFile: string;
  plotFile?: string;
  /** The configuration file that was updated, when writeConfig was given. */
  configFile?: string;
}

/** Python's `%.2e`: 1.7099e-7 -> "1.71e-07" (exponent at least two digits). */
export function pythonExponent(value: number): string {
  return value.toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2');
}

function localTimestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

let version: string | undefined;
/** @autofarm/farm's version (workspace packages are versioned together); ../../ from both src/ and dist/. */
function autofarmVersion(): string {
  version ??= String(
    (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version ?? '0.0.0',
  );
  return version;
}

/** Statistics of one size's trials (population std; p50/p95 with linear interpolation). */
export function summariseSize(size: number, trials: ReadonlyArray<{ totalSeconds: number; stages: Record<Stage, number> }>): SizeResult {
  const totals = trials.map((t) => t.totalSeconds);
  const stage_stats = {} as SizeResult['stage_stats'];
  for (const s of STAGES) {
    const xs = trials.map((t) => t.stages[s]);
    stage_stats[s] = { mean: mean(xs), std: std(xs) };
  }
  return {
    image_size: size,
    num_trials: trials.length,
    mean: mean(totals),
    std: std(totals),
    min: Math.min(...totals),
    max: Math.max(...totals),
    p50: quantile(totals, 0.5),
    p95: quantile(totals, 0.95),
    stage_stats,
  };
}

type Trial = { totalSeconds: number; stages: Record<Stage, number> };

/** The warm-ups and timed trials of every size, in order; per size its statistics and raw totals. */
async function timeSizes(options: CalibrationOptions, measure: Measure): Promise<Array<{ result: SizeResult; totals: number[] }>> {
  const { sizes, trials, seed } = options;
  const out: Array<{ result: SizeResult; totals: number[] }> = [];
  let done = 0;
  const smallest = Math.min(...sizes);
  for (let i = 0; i < PROCESS_WARMUPS; i++) await measure(smallest, seed);
  for (const size of sizes) {
    await measure(size, seed); // warm-up, not counted
    const runs: Trial[] = [];
    for (let j = 0; j < trials; j++) {
      const r = await measure(size, seed + j);
      runs.push({ totalSeconds: r.totalSeconds, stages: { ...r.stages } });
      done += 1;
      const result = j === trials - 1 ? summariseSize(size, runs) : undefined;
      if (result) out.push({ result, totals: runs.map((t) => t.totalSeconds) });
      options.onProgress?.({ size, trial: j + 1, trials, done, total: sizes.length * trials, seconds: r.totalSeconds, result });
    }
  }
  return out;
}

function machineMetadata(started: Date, loadAtStart: number): CalibrationResults['metadata'] {
  const cores = cpus();
  return {
    autofarm_version: autofarmVersion(),
    date: started.toISOString(),
    machine: {
      os: `${type()} (${platform()})`,
      release: release(),
      arch: arch(),
      cpu_model: cores[0]?.model.trim() ?? 'unknown',
      cores: cores.length,
    },
    load_average: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    node_version: process.version,
    sharp_version: sharp.versions.sharp ?? 'unknown',
    libvips_version: sharp.versions.vips,
    sharp_concurrency: sharp.concurrency(),
    warmup_trials: 1,
    process_warmups: PROCESS_WARMUPS,
    trial_seeds: 'trial j (0-based) uses seed + j; the warm-ups use seed',
    timed: 'the four stages (thumbnail, compression, metadata, conversion) on a cached synthetic image; generating the image is not timed',
  };
}

/** Runs the calibration and writes its files; see the module comment for the protocol. */
export async function runCalibration(options: CalibrationOptions): Promise<CalibrationOutcome> {
  const { sizes, trials, seed } = options;
  if (new Set(sizes).size < 2) throw new RangeError('calibration needs at least two distinct sizes');
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError('calibration needs at least one trial per size');
  const started = (options.now ?? (() => new Date()))();
  const loadAtStart = loadavg()[0] ?? 0;

  const timed = await timeSizes(options, options.measure ?? processImage);
  const results = timed.map((t) => t.result);
  const fit = fitQuadratic(results.map((r) => ({ size: r.image_size, seconds: r.mean })));
  const ratios = timed.map((t) => t.totals.map((x) => x / quadraticTime(fit, t.result.image_size)));
  const calibration: CalibrationResults = {
    timestamp: localTimestamp(started),
    seed,
    model: {
      model: 'quadratic',
      a: fit.a,
      b: fit.b,
      r_squared: fit.r_squared,
      formula: `time = ${pythonExponent(fit.a)} * size² + ${fit.b.toFixed(6)}`,
      b_clamped: fit.b_clamped,
    },
    results,
    model_check: {
      median_ratio: quantile(ratios.flat(), 0.5),
      per_size: results.map((r, i) => ({
        image_size: r.image_size,
        model_seconds: quadraticTime(fit, r.image_size),
        median_ratio: quantile(ratios[i] ?? [], 0.5),
      })),
    },
    metadata: machineMetadata(started, loadAtStart),
  };

  mkdirSync(options.outDir, { recursive: true });
  const resultsFile = join(options.outDir, RESULTS_FILE);
  writeFileSync(resultsFile, `${JSON.stringify(calibration, null, 2)}\n`);
  const outcome: CalibrationOutcome = { results: calibration, resultsFile };
  if (options.plot) {
    outcome.plotFile = join(options.outDir, PLOT_FILE);
    await options.plot(calibration, outcome.plotFile);
  }
  if (options.writeConfig) {
    if (!(fit.a > 0)) {
      throw new UsageError(
        `calibration fitted a = ${fit.a} (time does not grow with size² over sizes ${sizes.join(',')}); ` +
          `${RESULTS_FILE} was written but calibrated_model was not updated — use larger --sizes`,
      );
    }
    updateCalibratedModel(options.writeConfig, { a: fit.a, b: fit.b, r_squared: Math.min(1, Math.max(0, fit.r_squared)), seed });
    outcome.configFile = options.writeConfig;
  }
  return outcome;
}
