import { describe, expect, it } from 'vitest';
import { deadlineMissProbability, erlangC, gammaLaplace, minWorkers, waitDecayRate, type ServiceProfile } from './queueing.js';
import { createRng } from './rng.js';
import { gamma } from './distributions.js';

/** Textbook Erlang C, term by term (fine for small c): an independent check of the stable recursion. */
function erlangCDirect(c: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term * (c / (c - a));
  return top / (sum + top);
}

describe('erlangC', () => {
  it('matches known values: C(2, 1) = 1/3, C(5, 4) = 0.5541', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(5, 4)).toBeCloseTo(42.6667 / 77, 4);
  });

  it('agrees with the textbook formula over a grid of c and a', () => {
    for (const c of [1, 2, 5, 10, 20, 32]) {
      for (const rho of [0.1, 0.5, 0.8, 0.95]) expect(erlangC(c, rho * c)).toBeCloseTo(erlangCDirect(c, rho * c), 10);
    }
  });

  it('is 1 when unstable and 0 with no load', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(10, 12)).toBe(1);
    expect(erlangC(10, 0)).toBe(0);
  });
});

describe('per-task deadline model', () => {
  it('gammaLaplace is the Monte-Carlo mean of e^(-θS) for S ~ Gamma(4, 0.375)', () => {
    const rng = createRng(7).stream('laplace');
    const xs = Array.from({ length: 50_000 }, () => gamma(rng, 4, 0.375));
    for (const theta of [0.5, 2, 5]) {
      const mc = xs.reduce((acc, x) => acc + Math.exp(-theta * x), 0) / xs.length;
      expect(gammaLaplace(4, 0.375)(theta)).toBeCloseTo(mc, 2);
    }
  });

  const profile: ServiceProfile = { mean: 1.5, scv: 0.25, missFloor: 0, slackLaplace: gammaLaplace(4, 0.375) };

  it('predicts fewer misses with more workers and more with more load', () => {
    const byWorkers = [12, 13, 14, 16, 20].map((c) => deadlineMissProbability(c, 7.5, profile));
    for (let i = 1; i < byWorkers.length; i++) expect(byWorkers[i]).toBeLessThan(byWorkers[i - 1] as number);
    expect(deadlineMissProbability(15, 8, profile)).toBeGreaterThan(deadlineMissProbability(15, 7, profile));
    expect(deadlineMissProbability(11, 7.5, profile)).toBe(1); // a = 11.25 > 11: unstable
  });

  it('is C × E[e^(-θ_w S)] with θ_w = (c/E[S] - λ)·2/(1 + c_s²)', () => {
    const theta = waitDecayRate(15, 7.5, 1.5, 0.25);
    expect(theta).toBeCloseTo((10 - 7.5) * 1.6, 12);
    expect(deadlineMissProbability(15, 7.5, profile)).toBeCloseTo(erlangC(15, 11.25) * Math.pow(1 + theta * 0.375, -4), 12);
  });

  it('minWorkers is the first count at or under the miss budget, within the bounds', () => {
    const c = minWorkers(7.5, profile, 0.99, { min: 1, max: 32 });
    expect(deadlineMissProbability(c, 7.5, profile)).toBeLessThanOrEqual(0.01);
    expect(deadlineMissProbability(c - 1, 7.5, profile)).toBeGreaterThan(0.01);
    expect(minWorkers(0, profile, 0.99, { min: 2, max: 32 })).toBe(2);
    expect(minWorkers(100, profile, 0.99, { min: 1, max: 32 })).toBe(32);
  });

  it('needs more workers for a higher QoS target', () => {
    const at = (q: number) => minWorkers(7.5, profile, q, { min: 1, max: 64 });
    expect(at(0.9)).toBeLessThanOrEqual(at(0.99));
    expect(at(0.99)).toBeLessThan(at(0.9999));
  });
});
