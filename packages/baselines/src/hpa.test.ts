import { describe, expect, it } from 'vitest';
import { createHpa, HpaPolicy } from './hpa.js';
import { makeConfig, makeCtx, makeInfo, observationOf } from './testing/index.js';

const options = { targetPerWorker: 0.7, tolerance: 0.1, downscaleStabilization: 300, syncPeriod: 15 };

function decide(p: HpaPolicy, time: number, workers: number, queue: number, busy: number): number {
  const info = makeInfo({ time, workers, queueLength: queue, metrics: { busyWorkers: busy } });
  return p.act(observationOf(info), makeCtx(info));
}

describe('HpaPolicy', () => {
  it('scales up when in-flight work per worker passes the target', () => {
    // 10 workers, all busy, 5 queued: 15 in flight / 0.7 -> desired 22.
    const p = new HpaPolicy(options);
    expect(decide(p, 0, 10, 5, 10)).toBe(1);
  });

  it('holds inside the 10 % tolerance', () => {
    // 10 workers, 7 busy, nothing queued: ratio 0.7 / 0.7 = 1.
    const p = new HpaPolicy(options);
    expect(decide(p, 0, 10, 0, 7)).toBe(0);
    // 20 workers, 15 busy: ratio 15 / (0.7 × 20) = 1.07, still inside.
    expect(decide(new HpaPolicy(options), 0, 20, 0, 15)).toBe(0);
  });

  it('keeps stepping toward the synced count between syncs, without re-evaluating', () => {
    const p = new HpaPolicy(options);
    expect(decide(p, 0, 10, 5, 10)).toBe(1); // desired 22
    // t = 8: the load vanished, but no sync is due until t >= 15: still heading to 22.
    expect(decide(p, 8, 11, 0, 0)).toBe(1);
  });

  it('does not scale down within the stabilization window after a peak', () => {
    const p = new HpaPolicy(options);
    decide(p, 0, 10, 5, 10); // recommendation 22
    // t = 16 .. 288: idle farm at 22 workers; the 22 of t = 0 is within 300 s.
    for (let t = 16; t < 300; t += 16) expect(decide(p, t, 22, 0, 0)).toBe(0);
    // t = 304: the peak left the window: every later recommendation was 1 -> shrink.
    expect(decide(p, 304, 22, 0, 0)).toBe(-1);
  });

  it('is deterministic and forgets its history on reset', () => {
    const run = (p: HpaPolicy) => [decide(p, 0, 10, 5, 10), decide(p, 16, 11, 0, 0), decide(p, 32, 12, 0, 0)];
    const p = new HpaPolicy(options);
    const first = run(p);
    p.reset();
    expect(run(p)).toEqual(first);
  });

  it('reads its parameters from baselines.hpa', () => {
    const p = createHpa(makeConfig({ baselines: { hpa: { target_per_worker: 2, sync_period: 30 } } }));
    expect(p.options).toEqual({ targetPerWorker: 2, tolerance: 0.1, downscaleStabilization: 300, syncPeriod: 30 });
    expect(p.name).toBe('HPA');
  });
});
