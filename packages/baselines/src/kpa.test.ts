import { describe, expect, it } from 'vitest';
import { createKpa, KpaPolicy } from './kpa.js';
import { makeConfig, makeCtx, makeInfo, observationOf, settled } from './testing/index.js';

const options = {
  targetConcurrency: 1,
  targetUtilization: 0.7,
  tickInterval: 2,
  stableWindow: 60,
  panicWindowPercentage: 10,
  panicThreshold: 2,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
};

function decide(p: KpaPolicy, time: number, workers: number, queue: number, busy: number, ready = workers, maxDelta = 1): number {
  const info = makeInfo({ time, workers, queueLength: queue, metrics: { busyWorkers: busy, readyWorkers: ready } });
  const ctx = makeCtx(info, { maxDelta });
  return settled(p.act(observationOf(info), ctx), workers, ctx);
}

describe('KpaPolicy', () => {
  it('sizes for the stable average of in-flight work at 70 % per worker', () => {
    // 7 in flight on 10 workers: ceil(7 / 0.7) = 10 -> hold.
    const p = new KpaPolicy(options);
    expect(decide(p, 0, 10, 0, 7)).toBe(0);
    expect(p.last?.desired).toBe(10);
    expect(p.last?.panicking).toBe(false);
  });

  it('decides every 2 s tick and averages its windows over the ticks: 30 samples stable, 3 panic', () => {
    const p = new KpaPolicy(options);
    expect(p.cadence).toBe(2);
    // 30 ticks of 7 in flight (t = 2..60), then 3 ticks of 14: the stable window (60 s) holds the
    // newest 30 samples, the panic window (6 s) the newest 3.
    for (let t = 2; t <= 60; t += 2) decide(p, t, 10, 0, 7, 10);
    for (let t = 62; t <= 66; t += 2) decide(p, t, 10, 4, 10, 10);
    expect(p.last?.stable).toBeCloseTo((27 * 7 + 3 * 14) / 30, 12);
    expect(p.last?.panic).toBe(14);
  });

  it('halves the ready workers at most per tick, whatever the stable demand', () => {
    // 20 ready, nothing in flight: dspc = 0, but floor(20 / 2) = 10 bounds the tick; with the whole
    // range allowed (native actuation) it goes 20 -> 10 -> 5 -> 2 -> 1 tick by tick.
    const p = new KpaPolicy(options);
    const seen: number[] = [];
    let workers = 20;
    for (let t = 0; t <= 8; t += 2) {
      workers += decide(p, t, workers, 0, 0, workers, 31);
      seen.push(workers);
    }
    expect(seen).toEqual([10, 5, 2, 1, 1]);
  });

  it('averages the stable window over the samples of the last 60 s (one per 8 s step)', () => {
    const p = new KpaPolicy(options);
    // 8 samples at t = 0..56 of 7 in flight, then 14 at t = 64: the t = 0 sample has left the window.
    for (let t = 0; t <= 56; t += 8) decide(p, t, 10, 0, 7);
    decide(p, 64, 10, 4, 10);
    expect(p.last?.stable).toBeCloseTo((7 * 7 + 14) / 8, 12);
    // The 6 s panic window covers the newest sample only.
    expect(p.last?.panic).toBe(14);
  });

  it('panics when the panic-window demand reaches 200 % of the ready workers', () => {
    // 4 ready workers, 10 queued + 4 busy: dppc = ceil(14 / 0.7) = 20 >= 2 × 4.
    const p = new KpaPolicy(options);
    expect(decide(p, 0, 4, 10, 4)).toBe(1);
    expect(p.last?.panicking).toBe(true);
    expect(p.last?.desired).toBe(20);
  });

  it('does not scale down while panicking, and leaves panic after a calm stable window', () => {
    const p = new KpaPolicy(options);
    decide(p, 0, 4, 10, 4); // panic, desired 20
    // The surge is gone at once: stable mode would shrink, panic mode holds the 20 it wanted.
    for (let t = 8; t <= 56; t += 8) {
      expect(decide(p, t, 20, 0, 0)).toBe(0);
      expect(p.last?.panicking).toBe(true);
      expect(p.last?.desired).toBe(20);
    }
    // t = 64 > 0 + 60: no panic signal for a whole stable window -> stable mode, scale down.
    expect(decide(p, 64, 20, 0, 0)).toBe(-1);
    expect(p.last?.panicking).toBe(false);
  });

  it('extends the panic while the threshold is still crossed', () => {
    const p = new KpaPolicy(options);
    decide(p, 0, 4, 10, 4);
    decide(p, 40, 5, 12, 5); // 17 in flight: ceil(17 / 0.7) = 25 >= 2 × 5, panic restarts at t = 40
    // t = 72 is past 0 + 60 but not past 40 + 60: still panicking, still holding the 25.
    expect(decide(p, 72, 25, 0, 0)).toBe(0);
    expect(p.last?.panicking).toBe(true);
    expect(p.last?.desired).toBe(25);
  });

  it('never asks for fewer than half the ready workers (max scale-down rate 2)', () => {
    const p = new KpaPolicy(options);
    decide(p, 0, 20, 0, 0, 20);
    expect(p.last?.desired).toBe(10);
  });

  it('is deterministic and forgets its windows on reset', () => {
    const run = (p: KpaPolicy) => [decide(p, 0, 4, 10, 4), decide(p, 8, 5, 3, 5), decide(p, 16, 6, 0, 2)];
    const p = new KpaPolicy(options);
    const first = run(p);
    p.reset();
    expect(p.last).toBeNull();
    expect(run(p)).toEqual(first);
  });

  it('reads its parameters from baselines.kpa', () => {
    const p = createKpa(makeConfig({ baselines: { kpa: { target_utilization: 0.5, stable_window: 120 } } }));
    expect(p.options).toEqual({ ...options, targetUtilization: 0.5, stableWindow: 120 });
  });
});
