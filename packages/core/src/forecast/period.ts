/**
 * Period detection by autocorrelation (the ACF step of RobustPeriod / IceBreaker's FFT, done in
 * the time domain: our histories are a few hundred bins, so O(n x lags) is cheap). A lag counts
 * as a period when its autocorrelation clears both `threshold` and z / sqrt(overlap): for white
 * noise the sample ACF at a lag with m overlapping pairs has sd ~ 1/sqrt(m) (Bartlett), so z = 4
 * keeps Poisson noise from passing (about 3e-5 per lag tested).
 */

export interface PeriodOptions {
  /** Shortest and longest lag tried, in bins. */
  minLag: number;
  maxLag: number;
  /** Fewest overlapping pairs a lag needs (and a lag is at most 2/3 of the history: half a period seen twice). */
  minOverlap: number;
  /** Lowest autocorrelation accepted. */
  threshold: number;
  /** Standard errors the autocorrelation must clear. */
  z: number;
}

export interface Period {
  /** In bins. */
  lag: number;
  /** Autocorrelation at that lag, in (0, 1]. */
  strength: number;
}

/** Sample autocorrelation of `xs` at `lag`: mean product of deviations over the overlap, over the variance. */
export function autocorrelation(xs: ArrayLike<number>, lag: number, mean: number, variance: number): number {
  const pairs = xs.length - lag;
  if (pairs <= 0 || variance <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < pairs; i++) sum += ((xs[i] as number) - mean) * ((xs[i + lag] as number) - mean);
  return sum / pairs / variance;
}

/**
 * The period of `xs`, or null. Neighbouring lags of a smooth series correlate by continuity
 * (a sine sampled 120 times a cycle has r(1) ~ 0.999), so the search starts where the
 * autocorrelation first turns negative, and takes local maxima only. Of the maxima that pass,
 * the shortest within 10 % of the best wins, so a period's multiples (bursty's 40 s cycle also
 * repeats at 80 s and at the 240 s day) do not displace it.
 */
export function detectPeriod(xs: ArrayLike<number>, options: PeriodOptions): Period | null {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i] as number;
  mean /= Math.max(1, n);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((xs[i] as number) - mean) ** 2;
  variance /= Math.max(1, n);
  if (variance <= 0) return null;
  const last = Math.min(options.maxLag, n - options.minOverlap, Math.floor((2 * n) / 3));
  const r: number[] = [];
  for (let lag = 0; lag <= last + 1; lag++) r.push(lag <= n - 1 ? autocorrelation(xs, lag, mean, variance) : 0);
  let lag = 1;
  while (lag <= last && (r[lag] as number) >= 0) lag++;
  const passing: Period[] = [];
  for (lag = Math.max(lag, options.minLag); lag <= last; lag++) {
    const here = r[lag] as number;
    const peak = here >= (r[lag - 1] as number) && here >= (r[lag + 1] as number);
    if (peak && here >= options.threshold && here >= options.z / Math.sqrt(n - lag)) passing.push({ lag, strength: Math.min(1, here) });
  }
  if (passing.length === 0) return null;
  const best = Math.max(...passing.map((p) => p.strength));
  return passing.find((p) => p.strength >= 0.9 * best) ?? null;
}
