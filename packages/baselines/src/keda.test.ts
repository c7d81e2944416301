import { describe, expect, it } from 'vitest';
import { hpaBehaviorSchema } from '@autofarm/core';
import { createKeda, KedaPolicy } from './keda.js';
import { makeConfig, makeCtx, makeInfo, observationOf } from './testing/index.js';

const options = { listLength: 5, tolerance: 0.1, syncPeriod: 15, behavior: hpaBehaviorSchema.parse({}) };

function decide(p: KedaPolicy, time: number, workers: number, queue: number, busy = workers): number {
  const info = makeInfo({ time, workers, queueLength: queue, metrics: { busyWorkers: busy } });
  return p.act(observationOf(info), makeCtx(info, { maxDelta: 31 }));
}

describe('KedaPolicy', () => {
  it('wants ceil(LLEN / listLength) workers, through the HPA (its rate limits included)', () => {
    // LLEN 42 on 6 workers: ceil(42 / 5) = 9 (within max(12, 10)); busy workers do not count.
    expect(decide(new KedaPolicy(options), 0, 6, 42)).toBe(3);
    // LLEN 120 on 6 workers: ceil(120 / 5) = 24, the HPA allows max(+100 %, +4) = 12 this sync.
    expect(decide(new KedaPolicy(options), 0, 6, 120)).toBe(6);
  });

  it('holds inside the HPA tolerance', () => {
    // LLEN 31 on 6 workers: ratio 31 / 30 = 1.03.
    expect(decide(new KedaPolicy(options), 0, 6, 31)).toBe(0);
  });

  it('reads the list live at every HPA sync, every 15 s', () => {
    const p = new KedaPolicy(options);
    expect(p.cadence).toBe(15);
    decide(p, 0, 6, 42); // -> 9
    // LLEN 100: ceil(100 / 5) = 20, read now (not a cached poll); the +3 of t = 0 is outside (0, 15],
    // so the period starts at 9 and allows max(18, 13) = 18.
    expect(decide(p, 15, 9, 100)).toBe(9);
  });

  it('shrinks a farm that keeps up to the list length it sees (LLEN-based sizing)', () => {
    // 12 busy workers and an empty list: KEDA wants ceil(0 / 5) = 0 -> min_workers, and a fresh HPA has no window.
    expect(decide(new KedaPolicy(options), 0, 12, 0, 12)).toBe(-11);
  });

  it('takes list_length from baselines.keda and tolerance, sync period and behavior from baselines.hpa', () => {
    const p = createKeda(makeConfig({ baselines: { keda: { list_length: 10 }, hpa: { tolerance: 0.2, sync_period: 30 } } }));
    expect(p.options.listLength).toBe(10);
    expect(p.options.tolerance).toBe(0.2);
    expect(p.cadence).toBe(30);
    expect(p.options.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });
});
