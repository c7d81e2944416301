/**
 * Calibration figure (calibrate): measured pipeline time per image size, mean ± std, against
 * the fitted model time = a·size² + b drawn dashed. Inputs are in seconds (as the timing model
 * and calibration results store them); the figure shows milliseconds because the smallest
 * sizes take ~40 ms and would sit on the axis in seconds.
 */
import { renderChart, writePng, type ChartSpec } from './chart.js';

export interface CalibrationPlotInput {
  /** Image sides in px, e.g. 512, 1024, 2048, 4096. */
  sizes: readonly number[];
  /** Mean and population std of the measured time per size, seconds. */
  means: readonly number[];
  stds: readonly number[];
  /** Fitted model: time [s] = a·size² + b. */
  a: number;
  b: number;
  r2: number;
}

/** The figure's input from a calibration run's results (what `calibrate` writes to calibration.json). */
export function calibrationPlotInput(r: {
  results: ReadonlyArray<{ image_size: number; mean: number; std: number }>;
  model: { a: number; b: number; r_squared: number };
}): CalibrationPlotInput {
  return {
    sizes: r.results.map((x) => x.image_size),
    means: r.results.map((x) => x.mean),
    stds: r.results.map((x) => x.std),
    a: r.model.a,
    b: r.model.b,
    r2: r.model.r_squared,
  };
}

const MS = 1000;
const CURVE_POINTS = 100;

export function calibrationChart(input: CalibrationPlotInput): ChartSpec {
  const maxSize = Math.max(...input.sizes, 1);
  const fit = Array.from({ length: CURVE_POINTS + 1 }, (_, i) => {
    const x = (maxSize * 1.05 * i) / CURVE_POINTS;
    return { x, y: (input.a * x * x + input.b) * MS };
  });
  const measured = input.sizes.map((x, i) => ({ x, y: (input.means[i] ?? Number.NaN) * MS }));
  const bars = input.sizes.map((x, i) => {
    const m = (input.means[i] ?? Number.NaN) * MS;
    const s = (input.stds[i] ?? 0) * MS;
    return { x, lo: m - s, hi: m + s };
  });
  return {
    title: `Calibration: time = ${input.a.toExponential(3)} · size² + ${input.b.toFixed(6)} s   (R² = ${input.r2.toFixed(5)})`,
    xLabel: 'image size [px per side]',
    yLabel: 'pipeline time [ms]',
    xMin: 0,
    yMin: 0,
    width: 900,
    height: 560,
    series: [
      { label: 'measured mean ± std', points: measured, kind: 'scatter', markerSize: 6, errorBars: bars },
      { label: 'fit a·size² + b', points: fit, kind: 'dashed' },
    ],
  };
}

/** Writes the calibration figure to `outPath` (a .png path) and returns it. */
export function plotCalibration(input: CalibrationPlotInput, outPath: string): string {
  return writePng(outPath, renderChart(calibrationChart(input)));
}
