import { describe, expect, it } from 'vitest';
import { exponential, gamma, gammaCdfIntegerShape, normal, poisson } from './distributions.js';
import { createRng } from './rng.js';
import { mean, std } from './stats.js';

const N = 40_000;
const sample = (f: () => number) => Array.from({ length: N }, f);

describe('samplers (statistical checks, fixed seeds)', () => {
  it('normal has mean 0 and std 1', () => {
    const r = createRng(1);
    const xs = sample(() => normal(r));
    expect(mean(xs)).toBeCloseTo(0, 1);
    expect(std(xs)).toBeCloseTo(1, 1);
  });

  it('exponential has the requested mean and std', () => {
    const r = createRng(2);
    const xs = sample(() => exponential(r, 2.5));
    expect(mean(xs) / 2.5).toBeCloseTo(1, 1);
    expect(std(xs) / 2.5).toBeCloseTo(1, 1);
  });

  it.each([
    [4, 0.375],
    [1, 1.5],
    [0.5, 2],
  ])('gamma(k=%d, θ=%d) has mean kθ, variance kθ² and the right CDF', (k, theta) => {
    const r = createRng(3);
    const xs = sample(() => gamma(r, k, theta));
    expect(mean(xs) / (k * theta)).toBeCloseTo(1, 1);
    expect(std(xs) / (Math.sqrt(k) * theta)).toBeCloseTo(1, 1);
    if (Number.isInteger(k)) {
      // Empirical CDF vs the closed form at the mean: within 0.01.
      const at = k * theta;
      const empirical = xs.filter((x) => x <= at).length / N;
      expect(Math.abs(empirical - gammaCdfIntegerShape(k, at / theta))).toBeLessThan(0.01);
    }
  });

  it.each([0.3, 4.5, 25, 120])('poisson(%d) has mean and variance equal to its parameter', (m) => {
    const r = createRng(4);
    const xs = sample(() => poisson(r, m));
    expect(Math.abs(mean(xs) - m)).toBeLessThan(0.03 * m + 0.02);
    expect(Math.abs(std(xs) ** 2 - m)).toBeLessThan(0.06 * m + 0.02);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it('gamma CDF for k=4 matches the reference quantiles (99 % at 3.767 s with θ = 0.375)', () => {
    expect(gammaCdfIntegerShape(4, 3.767 / 0.375)).toBeCloseTo(0.99, 3);
    expect(gammaCdfIntegerShape(4, 5 / 0.375)).toBeCloseTo(0.9992, 3);
  });
});
