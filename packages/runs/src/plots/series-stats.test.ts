import { describe, expect, it } from 'vitest';
import { movingAverage, movingAverageWindow, niceRange, niceStep, perStepStats, robustRange } from './series-stats.js';

describe('perStepStats', () => {
  it('averages each step over the episodes that reached it and clips the band to min/max', () => {
    const stats = perStepStats([[10, 1], [12], [20, 3]]);
    expect(stats.mean[0]).toEqual({ x: 1, y: 14 });
    const band = stats.band[0]!;
    expect(band.lo).toBe(10); // 14 - 4.32 = 9.68, clipped up to the minimum
    expect(band.hi).toBeCloseTo(14 + Math.sqrt(56 / 3), 10);
    expect(stats.mean[1]).toEqual({ x: 2, y: 2 });
    expect(stats.band[1]).toEqual({ x: 2, lo: 1, hi: 3 });
  });

  it('skips non-finite values and applies the scale', () => {
    const stats = perStepStats(
      [
        [0.5, Number.NaN],
        [1, Number.NaN],
      ],
      100,
    );
    expect(stats.mean).toEqual([{ x: 1, y: 75 }]);
  });
});

describe('movingAverage', () => {
  it('is centred with edge replication and keeps the length', () => {
    const out = movingAverage([1, 2, 6], 3);
    expect(out[0]).toBeCloseTo(4 / 3);
    expect(out[1]).toBeCloseTo(3);
    expect(out[2]).toBeCloseTo(14 / 3);
    expect(movingAverage([1, 2, 3, 4], 4)).toHaveLength(4);
    expect(movingAverage([5, 6], 1)).toEqual([5, 6]);
  });

  it('leaves a constant series unchanged', () => {
    expect(movingAverage([3, 3, 3, 3, 3], 5)).toEqual([3, 3, 3, 3, 3]);
  });

  it('uses the original window min(15, max(3, n // 10)), none below 3 episodes', () => {
    expect([2, 3, 29, 50, 149, 150, 1000].map(movingAverageWindow)).toEqual([0, 3, 3, 5, 14, 15, 15]);
  });
});

describe('niceRange / robustRange', () => {
  it('rounds limits out to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(204, 10)).toBe(25);
    expect(niceStep(0.37, 6)).toBe(0.1);
    expect(niceRange(0, 204, 10)).toEqual({ min: 0, max: 225 });
    expect(niceRange(-22.2, 0.1)).toEqual({ min: -25, max: 5 });
    expect(niceRange(3, 3)).toEqual({ min: 2.7, max: 3.3 });
  });

  it('ignores a single outlier, keeps included values and respects hard limits', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => 90 + (i % 10)), -1000];
    const r = robustRange(values, { include: [100], max: 100 })!;
    expect(r.min).toBeGreaterThan(80);
    expect(r.max).toBe(100);
    expect(robustRange([Number.NaN])).toBeUndefined();
  });
});
