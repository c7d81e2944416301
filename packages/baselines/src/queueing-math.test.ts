import { gammaCdfIntegerShape } from '@autofarm/core';
import { describe, expect, it } from 'vitest';
import { sojournWithin } from './queueing-math.js';

/** Anchors §E: S ~ Gamma(4, 0.375 s), Poisson arrivals. */
const gammaService = { mean: 1.5, scv: 0.25, cdf: (x: number) => gammaCdfIntegerShape(4, x / 0.375) };

describe('sojournWithin (fixed deadline, anchors §E.5)', () => {
  it('reproduces the approximation values of anchors §E.6', () => {
    expect(sojournWithin(9, 4, 4, gammaService)).toBeCloseTo(0.992, 3);
    expect(sojournWithin(15, 8, 4, gammaService)).toBeCloseTo(0.9909, 4);
    expect(sojournWithin(14, 8, 5, gammaService)).toBeCloseTo(0.9972, 4);
    expect(sojournWithin(20, 12, 5, gammaService)).toBeCloseTo(0.997, 3);
  });

  it('reproduces the oracle table of anchors §E.7 (minimum workers for 99 % within d)', () => {
    const lambdas = [1, 2, 4, 6, 8, 10, 12, 16, 20];
    const table: Record<string, number[]> = {
      '4': [4, 6, 9, 12, 15, 18, 21, 28, 34],
      '4.5': [3, 5, 8, 11, 14, 17, 20, 26, 32],
      '5': [3, 5, 8, 11, 14, 17, 20, 26, 32],
      '6': [3, 4, 7, 10, 13, 16, 19, 25, 32],
      '8': [3, 4, 7, 10, 13, 16, 19, 25, 31],
    };
    for (const [d, row] of Object.entries(table)) {
      const computed = lambdas.map((lambda) => {
        let c = Math.floor(1.5 * lambda) + 1;
        while (sojournWithin(c, lambda, Number(d), gammaService) < 0.99) c++;
        return c;
      });
      expect(computed, `d = ${d}`).toEqual(row);
    }
  });
});
