import { describe, expect, it } from 'vitest';
import { createKeda, KedaPolicy } from './keda.js';
import { makeConfig, makeCtx, makeInfo, observationOf } from './testing/index.js';

const options = { listLength: 5, pollingInterval: 30, downscaleStabilization: 300, tolerance: 0.1, syncPeriod: 15 };

function decide(p: KedaPolicy, time: number, workers: number, queue: number): number {
  const info = makeInfo({ time, workers, queueLength: queue });
  return p.act(observationOf(info), makeCtx(info));
}

describe('KedaPolicy', () => {
  it('wants ceil(LLEN / listLength) workers', () => {
    // 4 workers, 33 queued: ratio 33 / 20 = 1.65 -> ceil(33 / 5) = 7.
    const p = new KedaPolicy(options);
    expect(decide(p, 0, 4, 33)).toBe(1);
    expect(decide(p, 8, 5, 33)).toBe(1);
    expect(decide(p, 16, 6, 33)).toBe(1);
    expect(decide(p, 24, 7, 33)).toBe(0);
  });

  it('holds inside the HPA tolerance', () => {
    // 4 workers, 21 queued: ratio 21 / 20 = 1.05.
    expect(decide(new KedaPolicy(options), 0, 4, 21)).toBe(0);
  });

  it('scales on the cached list length until the next poll', () => {
    const p = new KedaPolicy(options);
    expect(decide(p, 0, 4, 0)).toBe(-1); // LLEN 0 -> 1 worker
    // t = 16: an HPA sync, but KEDA still reports the LLEN read at t = 0, not the new 100.
    expect(decide(p, 16, 3, 100)).toBe(-1);
    // t = 32: the next poll reads 100 -> ceil(100 / 5) = 20.
    expect(decide(p, 32, 2, 100)).toBe(1);
  });

  it('keeps the peak for the stabilization window (the HPA behaviour it feeds)', () => {
    const p = new KedaPolicy(options);
    expect(decide(p, 0, 10, 100)).toBe(1); // recommendation 20
    expect(decide(p, 32, 11, 0)).toBe(1); // recommendation 1, but the max of the window is 20
  });

  it('reads list_length and polling_interval from baselines.keda and tolerance/sync from baselines.hpa', () => {
    const p = createKeda(makeConfig({ baselines: { keda: { list_length: 2 }, hpa: { tolerance: 0.2 } } }));
    expect(p.options).toEqual({ listLength: 2, pollingInterval: 30, downscaleStabilization: 300, tolerance: 0.2, syncPeriod: 15 });
    expect(p.name).toBe('KEDA');
  });
});
