/**
 * `pnpm bench calibrate [--sizes 512,1024,2048,4096] [--trials 10] [--seed 42]`: the timing
 * fit of the real image pipeline on this machine — a, b, R², per-size medians, and the median
 * measured/model ratio. Files (calibration_results.json, calibration_plot.png) go to
 * .bench/calibrate/; the last line of output is the JSON summary.
 */
import { DEFAULT_SIZES, DEFAULT_TRIALS, runCalibration } from '@autofarm/farm/image';
import { calibrationPlotInput, plotCalibration } from '@autofarm/runs/plots';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]) {
  const sizes = flag(args, '--sizes')?.split(',').map(Number) ?? [...DEFAULT_SIZES];
  const trials = Number(flag(args, '--trials') ?? DEFAULT_TRIALS);
  const seed = Number(flag(args, '--seed') ?? 42);
  if (sizes.some((s) => !Number.isInteger(s) || s < 8) || !Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed)) {
    throw new Error('usage: pnpm bench calibrate [--sizes 512,1024,...] [--trials N] [--seed N]');
  }
  const started = Date.now();
  const { results } = await runCalibration({
    sizes,
    trials,
    seed,
    outDir: '.bench/calibrate',
    plot: (r, file) => plotCalibration(calibrationPlotInput(r), file),
    onProgress: (e) => {
      if (e.result)
        process.stderr.write(
          `calibrate: ${e.size} px  p50 ${(e.result.p50 * 1000).toFixed(1)} ms  mean ${(e.result.mean * 1000).toFixed(1)} ` +
            `ms ± ${(e.result.std * 1000).toFixed(1)}\n`,
        );
    },
  });
  const { model, model_check, metadata } = results;
  process.stdout.write(
    `fit: ${model.formula}  R² = ${model.r_squared.toFixed(6)}  median measured/model = ${model_check.median_ratio.toFixed(3)}\n`,
  );
  return {
    bench: 'calibrate',
    a: model.a,
    b: model.b,
    r_squared: model.r_squared,
    b_clamped: model.b_clamped,
    trials,
    seed,
    median_seconds: Object.fromEntries(results.results.map((r) => [String(r.image_size), r.p50])),
    mean_seconds: Object.fromEntries(results.results.map((r) => [String(r.image_size), r.mean])),
    median_ratio_measured_to_model: model_check.median_ratio,
    ratio_by_size: Object.fromEntries(model_check.per_size.map((p) => [String(p.image_size), p.median_ratio])),
    cpu: metadata.machine.cpu_model,
    cores: metadata.machine.cores,
    sharp: metadata.sharp_version,
    wall_seconds: (Date.now() - started) / 1000,
  };
}
