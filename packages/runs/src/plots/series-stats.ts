/** The arithmetic behind the figures: per-step mean ± std bands, moving averages, robust axis limits. */
import { mean, quantile, std } from '@autofarm/core';
import type { Point, Range } from './chart.js';

export interface StepStats {
  /** Mean at each step over the episodes that reached it (x = 1-based step, or `xAt(i)`). */
  mean: Point[];
  /** max(mean − std, min) .. min(mean + std, max): a band never leaves the observed values. */
  band: Range[];
}

/**
 * Per-step statistics over episodes of different lengths. Step i uses the episodes that have a
 * finite value at i. Worked example: values 10, 12, 20 -> mean 14, population std 4.32, band
 * 10..18.32 (the lower edge clipped from 9.68 to the minimum 10).
 */
export function perStepStats(
  episodes: ReadonlyArray<readonly number[]>,
  scale = 1,
  xAt: (index: number) => number = (i) => i + 1,
): StepStats {
  const steps = Math.max(0, ...episodes.map((e) => e.length));
  const out: StepStats = { mean: [], band: [] };
  for (let i = 0; i < steps; i++) {
    const xs = episodes.map((e) => (e[i] ?? Number.NaN) * scale).filter(Number.isFinite);
    if (xs.length === 0) continue;
    const m = mean(xs);
    const s = std(xs);
    out.mean.push({ x: xAt(i), y: m });
    out.band.push({ x: xAt(i), lo: Math.max(m - s, Math.min(...xs)), hi: Math.min(m + s, Math.max(...xs)) });
  }
  return out;
}

/** The original's window for n episodes: min(15, max(3, n // 10)); 0 (no average) below 3 episodes. */
export function movingAverageWindow(n: number): number {
  return n < 3 ? 0 : Math.min(15, Math.max(3, Math.floor(n / 10)));
}

/**
 * Centred moving average with the ends padded by repeating the edge values, so the result has
 * the input's length and no lag. Window 3 over [1, 2, 6]: pad -> [1, 1, 2, 6, 6] -> [1.33, 3, 4.67].
 * Non-finite inputs are skipped inside a window.
 */
export function movingAverage(xs: readonly number[], window: number): number[] {
  if (window <= 1 || xs.length === 0) return [...xs];
  const left = Math.floor((window - 1) / 2);
  const at = (i: number) => xs[Math.min(xs.length - 1, Math.max(0, i))] as number;
  return xs.map((_, i) => {
    const win: number[] = [];
    for (let k = i - left; k < i - left + window; k++) {
      const v = at(k);
      if (Number.isFinite(v)) win.push(v);
    }
    return win.length ? mean(win) : Number.NaN;
  });
}

/** A tick step of 1, 2, 2.5 or 5 times a power of ten near `span / ticks`: 0..204 in ~10 ticks -> step 25. */
export function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(1, ticks);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
}

/** [lo, hi] widened to multiples of a nice step, so the axis' end labels are round numbers. */
export function niceRange(lo: number, hi: number, ticks = 6): { min: number; max: number } {
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, ticks);
  // Rounding guards: 0.30000000000000004 / 0.1 must not become 4 steps.
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  return { min: Number(min.toPrecision(12)), max: Number(max.toPrecision(12)) };
}

export interface RangeOptions {
  /** Values the range always includes, e.g. 100 for QoS in %. */
  include?: readonly number[];
  /** Hard limits the range never passes, e.g. 0 and 100 for QoS in %. */
  min?: number;
  max?: number;
}

/**
 * Axis limits from the 2nd..98th percentiles plus a 5 % margin (the original's rule), so one
 * outlier episode does not flatten the curve; then widened to round numbers and clamped to the
 * hard limits.
 */
export function robustRange(values: readonly number[], options: RangeOptions = {}): { min: number; max: number } | undefined {
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) return undefined;
  let lo = quantile(xs, 0.02);
  let hi = quantile(xs, 0.98);
  const margin = (hi - lo) * 0.05;
  lo -= margin;
  hi += margin;
  for (const v of options.include ?? []) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const nice = niceRange(lo, hi);
  return { min: Math.max(nice.min, options.min ?? -Infinity), max: Math.min(nice.max, options.max ?? Infinity) };
}
