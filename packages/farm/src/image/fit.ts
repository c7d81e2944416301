/**
 * Fitting the timing model time = a·size² + b (reference §14): ordinary least squares on
 * x = size² over the per-size mean times, unweighted, as the original's curve fitter
 * converges to. R² = 1 − SS_res / SS_tot.
 *
 * Worked example: points (1, 3), (2, 9), (3, 19) are exactly 2·size² + 1, so x = 1, 4, 9;
 * x̄ = 14/3, ȳ = 31/3, Sxx = Σ(x−x̄)² = 294/9, Sxy = Σ(x−x̄)(y−ȳ) = 588/9, so
 * a = Sxy / Sxx = 2, b = ȳ − a·x̄ = 31/3 − 28/3 = 1, SS_res = 0 and R² = 1.
 */

export interface FitPoint {
  /** Image side, pixels. */
  size: number;
  /** Measured time, seconds. */
  seconds: number;
}

export interface QuadraticFit {
  /** Seconds per pixel² (per pixel of the square image). */
  a: number;
  /** Constant term, seconds. */
  b: number;
  /** 1 − SS_res/SS_tot over the fitted points; 1 when every point has the same time and is fitted exactly. */
  r_squared: number;
  /**
   * True when unconstrained least squares gave b < 0 (a negative fixed cost makes no physical
   * sense and the configuration schema rejects it); the fit was then redone through the
   * origin (b = 0, a = Σxy / Σx²), the least-squares optimum under b ≥ 0.
   */
  b_clamped: boolean;
}

/** time of the model for a side `size`. */
export function quadraticTime(fit: { a: number; b: number }, size: number): number {
  return fit.a * size * size + fit.b;
}

/** R² of a model over points; 1 − SS_res/SS_tot (SS_tot = 0: 1 if SS_res = 0, else 0). */
export function rSquared(points: readonly FitPoint[], fit: { a: number; b: number }): number {
  const ys = points.map((p) => p.seconds);
  const yBar = ys.reduce((s, y) => s + y, 0) / ys.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const p of points) {
    const r = p.seconds - quadraticTime(fit, p.size);
    ssRes += r * r;
    ssTot += (p.seconds - yBar) * (p.seconds - yBar);
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Least-squares fit of a·size² + b. Needs at least two distinct sizes (RangeError otherwise:
 * a line through one x is undetermined).
 */
export function fitQuadratic(points: readonly FitPoint[]): QuadraticFit {
  const xs = points.map((p) => p.size * p.size);
  if (new Set(xs).size < 2) throw new RangeError('fitting a·size² + b needs at least two distinct sizes');
  const n = points.length;
  const xBar = xs.reduce((s, x) => s + x, 0) / n;
  const yBar = points.reduce((s, p) => s + p.seconds, 0) / n;
  // Centred sums: x reaches 4096² ≈ 1.7e7 and x² ≈ 2.8e14, so the raw normal equations
  // (Σx², (Σx)²/n) would lose about 7 of float64's 16 digits to cancellation.
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - xBar;
    sxx += dx * dx;
    sxy += dx * (points[i]!.seconds - yBar);
  }
  let a = sxy / sxx;
  let b = yBar - a * xBar;
  let bClamped = false;
  if (b < 0) {
    let sx2 = 0;
    let sxy0 = 0;
    for (let i = 0; i < n; i++) {
      sx2 += xs[i]! * xs[i]!;
      sxy0 += xs[i]! * points[i]!.seconds;
    }
    a = sxy0 / sx2;
    b = 0;
    bClamped = true;
  }
  return { a, b, r_squared: rSquared(points, { a, b }), b_clamped: bClamped };
}
