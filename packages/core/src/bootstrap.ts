/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13), drawing from a
 * seeded stream so the same data and seed give the same interval on every machine and for any
 * number of benchmark jobs.
 */
import type { Rng } from './rng.js';
import { mean, quantile } from './stats.js';

export interface ConfidenceInterval {
  /** The statistic on the data itself. */
  estimate: number;
  lo: number;
  hi: number;
}

export interface BootstrapOptions {
  /** Resamples (default 2000: the 2.5 % quantile then rests on ~50 draws). */
  resamples?: number;
  /** Coverage (default 0.95). */
  level?: number;
}

/**
 * A CI for `statistic` over n paired observations: each resample draws n indices with
 * replacement and evaluates statistic(indices). Pairing matters for regret: resampling seeds
 * (not each agent's episodes separately) keeps an agent and the yardstick on the same workloads.
 * E.g. the mean of [1, 2, 3, 4]: estimate 2.5, a 95 % interval of about [1.5, 3.5].
 */
export function bootstrapCi(
  n: number,
  statistic: (indices: readonly number[]) => number,
  rng: Rng,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const all = Array.from({ length: n }, (_, i) => i);
  const estimate = statistic(all);
  if (n < 2) return { estimate, lo: estimate, hi: estimate };
  const resamples = options.resamples ?? 2000;
  const alpha = (1 - (options.level ?? 0.95)) / 2;
  const stats = new Array<number>(resamples);
  const idx = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(0, n - 1);
    stats[b] = statistic(idx);
  }
  return { estimate, lo: quantile(stats, alpha), hi: quantile(stats, 1 - alpha) };
}

/** Bootstrap CI of the mean of `xs`. */
export function bootstrapMeanCi(xs: readonly number[], rng: Rng, options: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapCi(xs.length, (idx) => mean(idx.map((i) => xs[i] as number)), rng, options);
}
