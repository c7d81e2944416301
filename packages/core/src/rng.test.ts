import { describe, expect, it } from 'vitest';
import { createRng, hashSeed, shuffled } from './rng.js';

const draw = (seed: number | string, n = 5) => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => r.float());
};

describe('createRng', () => {
  it('gives the same numbers for the same seed and different ones for another', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw('a text seed')).toEqual(draw('a text seed'));
  });

  it('splits named streams that do not depend on what other streams drew', () => {
    const a = createRng(7);
    const arrivals1 = a.stream('arrivals');
    a.stream('tasks').float();
    const first = [arrivals1.float(), arrivals1.float()];
    const arrivals2 = createRng(7).stream('arrivals');
    expect([arrivals2.float(), arrivals2.float()]).toEqual(first);
    expect(createRng(7).stream('tasks').float()).not.toBe(first[0]);
  });

  it('draws floats in [0, 1) with a uniform mean and integers in range', () => {
    const r = createRng(1);
    let sum = 0;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const x = r.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      counts[r.int(0, 2)]! += 1;
    }
    expect(sum / 30_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(c / 30_000).toBeCloseTo(1 / 3, 1);
  });

  it('gives no biased first draw for small seeds', () => {
    const firsts = Array.from({ length: 200 }, (_, seed) => createRng(seed).float());
    const m = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.07);
    expect(firsts.filter((x) => x > 0.99).length).toBeLessThan(8);
  });

  it('hashes seeds into well-spread 32-bit values', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(hashSeed(i, 'x'));
    expect(seen.size).toBe(1000);
  });

  it('shuffles a copy reproducibly', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const a = shuffled(items, createRng(3));
    expect(shuffled(items, createRng(3))).toEqual(a);
    expect(a.slice().sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
