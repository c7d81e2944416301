import { describe, expect, it } from 'vitest';
import { createRng, mean, std } from '@autofarm/core';
import { RunningNormalizer } from './normalizer.js';

describe('RunningNormalizer', () => {
  it('matches the batch mean and population variance of what it has seen', () => {
    const rng = createRng(11);
    const xs = Array.from({ length: 500 }, () => [rng.float() * 800, 3 + rng.float()]);
    const n = new RunningNormalizer(2);
    xs.forEach((x) => n.update(x));
    const s = n.toJSON();
    for (const i of [0, 1]) {
      const col = xs.map((x) => x[i] as number);
      expect(s.mean[i]).toBeCloseTo(mean(col), 9);
      expect(Math.sqrt(s.var[i] as number)).toBeCloseTo(std(col), 9);
    }
  });

  it('maps what it has seen to zero mean and unit scale', () => {
    const n = new RunningNormalizer(1);
    [0, 10, 20, 30, 40].forEach((v) => n.update([v]));
    // mean 20, population sd sqrt(200) ≈ 14.142: 40 -> 1.414.
    expect(n.normalize([40])[0]).toBeCloseTo(Math.SQRT2, 5);
    expect(n.normalize([20])[0]).toBeCloseTo(0, 6);
  });

  it('clips outliers to ±clip and gives 0, not NaN, for a constant component', () => {
    const n = new RunningNormalizer(2, 5);
    for (let i = 0; i < 10; i++) n.update([i % 2, 7]);
    const [a, b] = n.normalize([1000, 7]);
    expect(a).toBe(5);
    expect(b).toBe(0);
  });

  it('round-trips through its JSON state', () => {
    const n = new RunningNormalizer(3);
    [
      [1, 2, 3],
      [4, 6, 8],
      [0, -1, 2],
    ].forEach((x) => n.update(x));
    const copy = RunningNormalizer.fromJSON(JSON.parse(JSON.stringify(n.toJSON())));
    expect(Array.from(copy.normalize([2, 2, 2]))).toEqual(Array.from(n.normalize([2, 2, 2])));
    expect(copy.count).toBe(3);
  });
});
