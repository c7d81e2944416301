import { describe, expect, it } from 'vitest';
import { createRng } from '@autofarm/core';
import { fitQuadratic, quadraticTime, rSquared, type FitPoint } from './fit.js';

const sizes = [512, 1024, 2048, 4096];

describe('fitQuadratic', () => {
  it('recovers a and b exactly from points on the model', () => {
    const truth = { a: 1.7099013205346125e-7, b: 0.0016654777540409116 };
    const fit = fitQuadratic(sizes.map((size) => ({ size, seconds: quadraticTime(truth, size) })));
    expect(fit.a / truth.a).toBeCloseTo(1, 10);
    expect(fit.b / truth.b).toBeCloseTo(1, 8);
    expect(fit.r_squared).toBeCloseTo(1, 12);
    expect(fit.b_clamped).toBe(false);
  });

  it('solves the worked example of the module comment', () => {
    const fit = fitQuadratic([
      { size: 1, seconds: 3 },
      { size: 2, seconds: 9 },
      { size: 3, seconds: 19 },
    ]);
    expect(fit.a).toBeCloseTo(2, 12);
    expect(fit.b).toBeCloseTo(1, 12);
    expect(fit.r_squared).toBe(1);
  });

  it('computes R² as 1 − SS_res/SS_tot by hand on noisy points', () => {
    // Hand example: x = size² = 1, 4, 9, 16; y = 2, 5, 11, 15.
    // x̄ = 7.5, ȳ = 8.25, Sxx = 129, Sxy = 113.5 -> a = 0.879845, b = 1.651163;
    // residuals -0.531008, -0.170543, 1.430233, -0.728682 -> SS_res = 2.887597;
    // SS_tot = 102.75 -> R² = 1 − 2.887597 / 102.75 = 0.971897 (numpy.polyfit agrees).
    const points: FitPoint[] = [1, 2, 3, 4].map((size, i) => ({ size, seconds: [2, 5, 11, 15][i]! }));
    const fit = fitQuadratic(points);
    expect(fit.a).toBeCloseTo(113.5 / 129, 12);
    expect(fit.b).toBeCloseTo(8.25 - (113.5 / 129) * 7.5, 12);
    const ssRes = points.reduce((s, p) => s + (p.seconds - quadraticTime(fit, p.size)) ** 2, 0);
    expect(ssRes).toBeCloseTo(2.887597, 6);
    expect(fit.r_squared).toBeCloseTo(1 - ssRes / 102.75, 12);
    expect(fit.r_squared).toBeCloseTo(0.971897, 6);
  });

  it('is the least-squares optimum: nudging a or b only increases the residual', () => {
    const rng = createRng(3);
    const points = sizes.map((size) => ({ size, seconds: 1.2e-7 * size * size + 0.03 + (rng.float() - 0.5) * 0.02 }));
    const fit = fitQuadratic(points);
    const ss = (a: number, b: number) => points.reduce((s, p) => s + (p.seconds - quadraticTime({ a, b }, p.size)) ** 2, 0);
    const best = ss(fit.a, fit.b);
    for (const [da, db] of [
      [1e-10, 0],
      [-1e-10, 0],
      [0, 1e-4],
      [0, -1e-4],
    ] as const) {
      expect(ss(fit.a + da, fit.b + db)).toBeGreaterThan(best);
    }
    expect(fit.r_squared).toBeCloseTo(rSquared(points, fit), 15);
  });

  it('refits through the origin when least squares gives a negative constant', () => {
    // Super-quadratic growth: the free fit would need b < 0.
    const points = sizes.map((size) => ({ size, seconds: 1e-7 * size * size * (1 + size / 4096) }));
    const fit = fitQuadratic(points);
    expect(fit.b_clamped).toBe(true);
    expect(fit.b).toBe(0);
    const sx2 = points.reduce((s, p) => s + p.size ** 4, 0);
    const sxy = points.reduce((s, p) => s + p.size ** 2 * p.seconds, 0);
    expect(fit.a).toBeCloseTo(sxy / sx2, 15);
  });

  it('refuses fewer than two distinct sizes', () => {
    expect(() =>
      fitQuadratic([
        { size: 512, seconds: 0.1 },
        { size: 512, seconds: 0.2 },
      ]),
    ).toThrow(RangeError);
  });
});
