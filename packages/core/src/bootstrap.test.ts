import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapMeanCi } from './bootstrap.js';
import { createRng } from './rng.js';
import { mean } from './stats.js';

describe('bootstrapMeanCi', () => {
  it('gives the same interval for the same data and seed', () => {
    const xs = [3.1, 1.7, 4.2, 1.05, 5.9, 9.3, 2.6, 6.45, 5.35, 3.8];
    expect(bootstrapMeanCi(xs, createRng(7))).toEqual(bootstrapMeanCi(xs, createRng(7)));
    expect(bootstrapMeanCi(xs, createRng(7))).not.toEqual(bootstrapMeanCi(xs, createRng(8)));
  });

  it('brackets the sample mean and collapses for constant data', () => {
    const ci = bootstrapMeanCi([1, 2, 3, 4], createRng(1));
    expect(ci.estimate).toBe(2.5);
    expect(ci.lo).toBeLessThan(2.5);
    expect(ci.hi).toBeGreaterThan(2.5);
    expect(bootstrapMeanCi([5, 5, 5], createRng(1))).toEqual({ estimate: 5, lo: 5, hi: 5 });
    expect(bootstrapMeanCi([5], createRng(1))).toEqual({ estimate: 5, lo: 5, hi: 5 });
  });

  it('covers the true mean about 95 % of the time (normal samples of 20)', () => {
    // 400 experiments; the percentile bootstrap under-covers slightly at n = 20 (~93 %).
    const data = createRng(2024);
    const boot = createRng(99);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 20 }, () => 10 + 2 * data.normal());
      const ci = bootstrapMeanCi(xs, boot, { resamples: 500 });
      if (ci.lo <= 10 && 10 <= ci.hi) covered++;
    }
    // Binomial(400, 0.94) has sd ~1.2 %: 0.89..0.98 is a generous 4-sigma band.
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.98);
  });

  it('has a width close to 2 x 1.96 standard errors for large samples', () => {
    const rng = createRng(5);
    const xs = Array.from({ length: 400 }, () => rng.normal());
    const ci = bootstrapMeanCi(xs, createRng(6));
    const se = Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)) / xs.length);
    expect((ci.hi - ci.lo) / (2 * 1.96 * se)).toBeGreaterThan(0.9);
    expect((ci.hi - ci.lo) / (2 * 1.96 * se)).toBeLessThan(1.1);
  });
});

describe('bootstrapCi', () => {
  it('resamples pairs together: a ratio of paired means stays exact when one is a multiple of the other', () => {
    const a = [10, 20, 30, 40, 55];
    const b = a.map((x) => 2 * x);
    const ci = bootstrapCi(a.length, (idx) => mean(idx.map((i) => b[i]!)) / mean(idx.map((i) => a[i]!)), createRng(3));
    expect(ci.lo).toBeCloseTo(2, 12);
    expect(ci.hi).toBeCloseTo(2, 12);
  });
});
