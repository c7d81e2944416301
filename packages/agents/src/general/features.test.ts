import { describe, expect, it } from 'vitest';
import { createRng } from '@autofarm/core';
import { FEATURE_NAMES, FeatureTransform, type FarmReading } from './features.js';

// [input_q, worker_q, result_q, output_q, workers, avg_time, max_time, arrival_rate, qos_rate]
const obs = (o: Partial<Record<'queue' | 'collected' | 'workers' | 'avg' | 'qos', number>>) => [
  3,
  o.queue ?? 0,
  0,
  o.collected ?? 0,
  o.workers ?? 12,
  o.avg ?? 1.5,
  2,
  0,
  o.qos ?? 1,
];
const bounds = { minWorkers: 1, maxWorkers: 32 };
const at = (time: number, enqueuedTotal: number, busyWorkers = 0): FarmReading => ({ time, enqueuedTotal, busyWorkers });

/** Feed readings every 2 s at `rates` (tasks/s), `busy` workers and `service` s per completed task. */
function feed(t: FeatureTransform, rates: number[], o: { busy?: number; workers?: number; start?: number } = {}): number[] {
  let enqueued = 0;
  let collected = 0;
  let f = t.apply(obs({ workers: o.workers }), bounds, at(o.start ?? 0, 0, o.busy ?? 0));
  for (const [i, rate] of rates.entries()) {
    enqueued += rate * 2;
    collected += rate * 2;
    f = t.apply(obs({ workers: o.workers, collected }), bounds, at((o.start ?? 0) + 2 * (i + 1), enqueued, o.busy ?? 0));
  }
  return f;
}

describe('FeatureTransform', () => {
  it('gives the same features to a farm and the same farm ten times larger', () => {
    const small = new FeatureTransform();
    const large = new FeatureTransform();
    const big = { minWorkers: 1, maxWorkers: 320 };
    small.apply(obs({ workers: 12 }), bounds, at(0, 0, 6));
    large.apply(obs({ workers: 120 }), big, at(0, 0, 60));
    const a = small.apply(obs({ workers: 12, queue: 6, collected: 8 }), bounds, at(2, 10, 6));
    const b = large.apply(obs({ workers: 120, queue: 60, collected: 80 }), big, at(2, 100, 60));
    // headroom differs only by min_workers (1 of 32 vs 1 of 320); burst is a dispersion, 0 with one interval
    expect(a.slice(0, 5).map((x) => x.toFixed(3))).toEqual(b.slice(0, 5).map((x) => x.toFixed(3)));
    expect(a[5]).toBeCloseTo(b[5] as number, 1);
    expect(a).toHaveLength(FEATURE_NAMES.length);
  });

  it('measures load as arrivals x task time per worker: 5 tasks/s of 1.5 s on 12 workers is 0.625', () => {
    const t = new FeatureTransform();
    // 7.5 busy workers for 2 s per 10 completions: 1.5 s a task (Little's law)
    t.apply(obs({}), bounds, at(0, 0, 7.5));
    expect(t.apply(obs({ collected: 10 }), bounds, at(2, 10, 7.5))[0]).toBeCloseTo(0.625, 6);
    expect(t.serviceEstimate).toBeCloseTo(1.5, 9);
  });

  it('estimates the task time from busy workers per completion, not from latencies that include a queue', () => {
    const t = new FeatureTransform();
    t.apply(obs({ avg: 6 }), bounds, at(0, 0, 12));
    // 12 busy workers for 4 s completed 32 tasks: 1.5 s each, although they waited (mean latency 6 s)
    t.apply(obs({ avg: 6, queue: 40, collected: 16 }), bounds, at(2, 20, 12));
    t.apply(obs({ avg: 6, queue: 40, collected: 32 }), bounds, at(4, 40, 12));
    expect(t.serviceEstimate).toBeCloseTo(1.5, 9);
  });

  it('has no load to size for before two readings, then sizes for the larger of the 32 s and the 4 s rate', () => {
    const t = new FeatureTransform();
    t.apply(obs({}), bounds, at(0, 0, 3));
    expect(t.sizingRate).toBeNull();
    expect(t.estimate(obs({}))).toBeNull();
    feed(t, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], { busy: 3 });
    expect(t.sizingRate).toBeCloseTo(2, 9);
    // a jump to 8 tasks/s shows within one 2 s decision through the 4 s window
    const t2 = new FeatureTransform();
    const f = feed(t2, [...Array<number>(16).fill(2), 8], { busy: 3 });
    expect(t2.sizingRate).toBeCloseTo((2 * 2 + 8 * 2) / 4, 9);
    expect(f[1]).toBeGreaterThan(0);
  });

  it('keeps a rise in the sizing rate for the 32 s window, then forgets it', () => {
    const t = new FeatureTransform();
    feed(t, [2, 2, 8, 8, 2, 2, 2, 2], { busy: 3 });
    expect(t.sizingRate).toBeGreaterThan(2.5);
    const u = new FeatureTransform();
    feed(u, [2, 2, 8, 8, ...Array<number>(20).fill(2)], { busy: 3 });
    expect(u.sizingRate).toBeCloseTo(2, 9);
  });

  it('forgets the episode on reset', () => {
    const t = new FeatureTransform();
    feed(t, [3, 3], { busy: 3 });
    t.reset();
    t.apply(obs({}), bounds, at(0, 0));
    expect(t.sizingRate).toBeNull();
    expect(t.serviceEstimate).toBe(1.5); // the reset observation's latency, until tasks complete
  });
});

describe('FeatureTransform burst (index of dispersion of the arrival counts)', () => {
  const burstOf = (counts: number[]) => {
    const t = new FeatureTransform();
    let enqueued = 0;
    let f = t.apply(obs({}), bounds, at(0, 0, 3));
    for (const [i, c] of counts.entries()) f = t.apply(obs({ collected: (enqueued += c) }), bounds, at(2 * (i + 1), enqueued, 3));
    return f[6] as number;
  };

  it('is 0 for the controlled process and large for a swinging one', () => {
    expect(burstOf(Array<number>(16).fill(10))).toBe(0);
    expect(burstOf([2, 18, 2, 18, 2, 18, 2, 18, 2, 18, 2, 18, 2, 18, 2, 18])).toBeGreaterThan(5);
  });

  it('is about 1 for a Poisson stream at any rate (mean over 300 windows of 16 counts within 0.15)', () => {
    for (const mean of [3, 30]) {
      const rng = createRng(5).stream(`poisson/${mean}`);
      const poisson = () => {
        // Knuth's product of uniforms for small means; the normal approximation above 20 would blur the test
        let n = 0;
        let p = 1;
        const limit = Math.exp(-mean);
        while ((p *= rng.float()) > limit) n++;
        return n;
      };
      const values = Array.from({ length: 300 }, () => burstOf(Array.from({ length: 16 }, poisson)));
      expect(Math.abs(values.reduce((s, v) => s + v, 0) / values.length - 1)).toBeLessThan(0.15);
    }
  });

  it('reads the forecast: ahead, spread and recur stay 0 on a one-shot load and lift before a rise seen the day before', () => {
    const idx = (name: (typeof FEATURE_NAMES)[number]) => FEATURE_NAMES.indexOf(name);
    // a 120 s day: 60 s at 2 tasks/s, then 60 s at 8 tasks/s; decisions every 2 s
    const day = [...Array.from({ length: 30 }, () => 2), ...Array.from({ length: 30 }, () => 8)];
    const once = feed(new FeatureTransform(), day.slice(0, 29), { busy: 3 });
    expect([once[idx('ahead')], once[idx('recur')]]).toEqual([0, 0]);

    // three days and the quiet half of a fourth: 4 s before the rise the forecast already sees it
    const t = new FeatureTransform();
    const f = feed(t, [...day, ...day, ...day, ...day.slice(0, 28)], { busy: 3 });
    expect(f[idx('recur')]).toBeGreaterThan(0.5);
    // the planned rate is the forecast's ~8 tasks/s against a measured 2: (8 - 2) x 1.5 s / 12 workers = 0.75
    expect(f[idx('ahead')]).toBeGreaterThan(0.4);
    expect(f[idx('spread')]).toBeGreaterThanOrEqual(0);
  });
});
