/**
 * `autofarm calibrate`: time the real image pipeline on this machine and fit
 * time = a·size² + b (reference §14). Parses flags, loads the configuration (for the default
 * seed, and to fail before minutes of timing if --write-config's file is invalid), and calls
 * runCalibration. sharp and the plotting canvas are loaded only here, by dynamic import.
 */
import type { Command } from 'commander';
import { loadConfig, UsageError } from '@autofarm/core';
import { createProgress, createRunDir } from '@autofarm/runs';
import { parseInteger } from '../options.js';

/** 8 px is the least a 128 px Lanczos thumbnail (upscaled) makes sense of; 8192² × 3 B = 200 MB per image. */
export const MIN_SIZE = 8;
export const MAX_SIZE = 8192;

interface CalibrateFlags {
  sizes: number[];
  trials: number;
  seed?: number;
  out?: string;
  writeConfig?: boolean;
  config: string;
}

/** "512,1024" -> [512, 1024]; at least two distinct integer sides in [MIN_SIZE, MAX_SIZE]. */
export function parseSizes(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const sizes = parts.map(Number);
  const bad = parts.find((p, i) => p === '' || !Number.isInteger(sizes[i]) || sizes[i]! < MIN_SIZE || sizes[i]! > MAX_SIZE);
  if (bad !== undefined)
    throw new UsageError(`--sizes: expected comma-separated integers between ${MIN_SIZE} and ${MAX_SIZE}, found "${bad}" in "${value}"`);
  if (new Set(sizes).size < 2) throw new UsageError(`--sizes: the fit a·size² + b needs at least two distinct sizes, found "${value}"`);
  return sizes;
}

const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      'time the real image pipeline (sharp) per image size and fit time = a·size² + b; ' +
        'writes calibration_results.json and calibration_plot.png',
    )
    .option('--sizes <list>', 'image sides in px, comma-separated', parseSizes, [512, 1024, 2048, 4096])
    .option('--trials <n>', 'timed trials per size, after one uncounted warm-up', parseInteger('--trials', 1), 10)
    .option('--seed <n>', 'base seed; trial j times the image seeded seed + j (default: configuration seed)', parseInteger('--seed'))
    .option('--out <dir>', 'output directory (default runs/calibrate_<UTC timestamp>)')
    .option('--write-config', 'write a, b, r_squared and seed into the calibrated_model block of --config, keeping its comments')
    .option('--config <file>', 'configuration file', 'configuration.yml')
    .action(async (flags: CalibrateFlags) => {
      const config = loadConfig(flags.config);
      const seed = flags.seed ?? config.seed;
      const [{ runCalibration }, { calibrationPlotInput, plotCalibration }] = await Promise.all([
        import('@autofarm/farm/image'),
        import('@autofarm/runs/plots'),
      ]);
      const dir = createRunDir({ ...(flags.out ? { out: flags.out } : {}), prefix: 'calibrate' });
      const progress = createProgress({ total: flags.sizes.length * flags.trials, label: 'calibrate' });
      const outcome = await runCalibration({
        sizes: flags.sizes,
        trials: flags.trials,
        seed,
        outDir: dir.path,
        ...(flags.writeConfig ? { writeConfig: flags.config } : {}),
        plot: (r, file) => plotCalibration(calibrationPlotInput(r), file),
        onProgress: (e) => {
          progress.update(e.done, { size: e.size, last: ms(e.seconds) });
          if (e.result)
            progress.log(
              `calibrate: ${e.size} px  mean ${ms(e.result.mean)}  p50 ${ms(e.result.p50)}  p95 ` +
                `${ms(e.result.p95)}  (${e.result.num_trials} trials)`,
            );
        },
      });
      progress.stop();

      const { model, results, model_check } = outcome.results;
      const lines = [
        `fit: ${model.formula}   R² = ${model.r_squared.toFixed(6)}` +
          (model.b_clamped ? '   (least squares gave b < 0; refitted with b = 0)' : ''),
        `a = ${model.a}  b = ${model.b}`,
        '',
        '  size      mean       std       p50       p95   model   p50/model',
        ...results.map((r, i) => {
          const m = model_check.per_size[i]!;
          return (
            `${String(r.image_size).padStart(6)} ${ms(r.mean).padStart(10)} ${ms(r.std).padStart(9)} ` +
            `${ms(r.p50).padStart(9)} ${ms(r.p95).padStart(9)} ${ms(m.model_seconds).padStart(9)} ` +
            `${m.median_ratio.toFixed(3).padStart(7)}`
          );
        }),
        '',
        `median measured/model over all trials: ${model_check.median_ratio.toFixed(3)}`,
        `load average (1 min) ${outcome.results.metadata.load_average.start.toFixed(2)} -> ` +
          `${outcome.results.metadata.load_average.end.toFixed(2)} on ${outcome.results.metadata.machine.cores} ` +
          `cores`,
        `wrote ${outcome.resultsFile}${outcome.plotFile ? ` and ${outcome.plotFile}` : ''}`,
        ...(outcome.configFile ? [`updated calibrated_model in ${outcome.configFile}`] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
