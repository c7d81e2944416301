/** Samplers over a seeded stream. Each is checked by a statistical test next to this file. */
import type { Rng } from './rng.js';

/** Standard normal from the stream (see Rng.normal). */
export function normal(rng: Rng): number {
  return rng.normal();
}

/** Exponential with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.float());
}

/**
 * Gamma(shape k, scale θ): mean kθ, variance kθ². Marsaglia & Tsang (2000), "A simple method
 * for generating gamma variables", with the k < 1 boost X·U^(1/k).
 */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * Math.pow(rng.float(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * Poisson with the given mean. Knuth's product method below 30 (exact, O(mean)); above, the
 * normal approximation rounded and floored at 0 (error < 1 % in the tails that matter here,
 * where means are at most a few hundred tasks per window).
 */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng.float();
    while (p > limit) {
      k++;
      p *= rng.float();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
}

/** Regularised lower incomplete gamma P(k, x) for integer k: the Gamma(k, θ) CDF at xθ. */
export function gammaCdfIntegerShape(k: number, x: number): number {
  if (x <= 0) return 0;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < k; n++) {
    term *= x / n;
    sum += term;
  }
  return 1 - Math.exp(-x) * sum;
}
