import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FeatureTransform } from './features.js';

// [input_q, worker_q, result_q, output_q, workers, avg_time, max_time, arrival_rate, qos_rate]
const obs = (o: Partial<Record<'queue' | 'collected' | 'workers' | 'avg' | 'rate' | 'qos', number>>) => [
  3,
  o.queue ?? 0,
  0,
  o.collected ?? 0,
  o.workers ?? 12,
  o.avg ?? 1.5,
  2,
  o.rate ?? 0,
  o.qos ?? 1,
];
const bounds = { minWorkers: 1, maxWorkers: 32 };

describe('FeatureTransform', () => {
  it('gives the same features to a farm and the same farm ten times larger', () => {
    const small = new FeatureTransform();
    const large = new FeatureTransform();
    small.apply(obs({ workers: 12 }), bounds);
    large.apply(obs({ workers: 120 }), { minWorkers: 1, maxWorkers: 320 });
    const a = small.apply(obs({ workers: 12, rate: 5, queue: 6, collected: 40 }), bounds);
    const b = large.apply(obs({ workers: 120, rate: 50, queue: 60, collected: 400 }), { minWorkers: 1, maxWorkers: 320 });
    // headroom differs only by min_workers (1 of 32 vs 1 of 320)
    expect(a.slice(0, 5).map((x) => x.toFixed(3))).toEqual(b.slice(0, 5).map((x) => x.toFixed(3)));
    expect(a[5]).toBeCloseTo(b[5] as number, 1);
    expect(a).toHaveLength(FEATURE_NAMES.length);
  });

  it('measures load as arrivals x task time per worker: 5 tasks/s of 1.5 s on 12 workers is 0.625', () => {
    const t = new FeatureTransform();
    t.apply(obs({}), bounds);
    expect(t.apply(obs({ rate: 5, collected: 30 }), bounds)[0]).toBeCloseTo(0.625, 6);
  });

  it('reports a rising trend and has no rate to size for before the first measured step', () => {
    const t = new FeatureTransform();
    t.apply(obs({}), bounds);
    expect(t.sizingRate).toBeNull();
    t.apply(obs({ rate: 2, collected: 10 }), bounds);
    const f = t.apply(obs({ rate: 4, collected: 20 }), bounds);
    expect(f[1]).toBeGreaterThan(0);
    expect(t.sizingRate).toBe(4);
  });

  it('sizes for the largest rate of the last four steps, then forgets it', () => {
    const t = new FeatureTransform();
    t.apply(obs({}), bounds);
    for (const [i, rate] of [6, 1, 1, 1].entries()) t.apply(obs({ rate, collected: 10 * (i + 1) }), bounds);
    expect(t.sizingRate).toBe(6);
    t.apply(obs({ rate: 1, collected: 50 }), bounds);
    expect(t.sizingRate).toBe(1);
  });

  it('forgets the episode on reset', () => {
    const t = new FeatureTransform();
    t.apply(obs({}), bounds);
    t.apply(obs({ rate: 3, collected: 5 }), bounds);
    t.reset();
    t.apply(obs({}), bounds);
    expect(t.sizingRate).toBeNull();
  });
});

describe('FeatureTransform burst', () => {
  it('is 0 for a steady stream and grows with the swing of the last four rates', () => {
    const steady = new FeatureTransform();
    const swinging = new FeatureTransform();
    steady.apply(obs({}), bounds);
    swinging.apply(obs({}), bounds);
    let a: number[] = [];
    let b: number[] = [];
    for (const [i, rate] of [4, 4, 4, 4].entries()) a = steady.apply(obs({ rate, collected: 10 * (i + 1) }), bounds);
    for (const [i, rate] of [2, 6, 2, 6].entries()) b = swinging.apply(obs({ rate, collected: 10 * (i + 1) }), bounds);
    expect(a[6]).toBe(0);
    expect(b[6]).toBeCloseTo(1, 9); // (6 − 2) / 4
  });
});
