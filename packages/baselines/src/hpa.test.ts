import { describe, expect, it } from 'vitest';
import { hpaBehaviorSchema } from '@autofarm/core';
import { createHpa, HpaPolicy } from './hpa.js';
import { makeConfig, makeCtx, makeInfo, observationOf, settled } from './testing/index.js';

const options = { targetPerWorker: 0.7, tolerance: 0.1, syncPeriod: 15, behavior: hpaBehaviorSchema.parse({}) };

/** One decision; maxDelta 31 is native actuation's whole range, 1 the `step` actuation's. */
function decide(p: HpaPolicy, time: number, workers: number, queue: number, busy: number, maxDelta = 31): number {
  const info = makeInfo({ time, workers, queueLength: queue, metrics: { busyWorkers: busy } });
  const ctx = makeCtx(info, { maxDelta });
  return settled(p.act(observationOf(info), ctx), workers, ctx);
}

describe('HpaPolicy', () => {
  it('decides every sync period and reads in-flight work from the platform signals', () => {
    const p = new HpaPolicy(options);
    expect(p.cadence).toBe(15);
    // 10 workers, all busy, 5 queued: 15 in flight / 0.7 -> 22, limited to max(20, 14) = 20 this sync.
    expect(decide(p, 0, 10, 5, 10)).toBe(10);
  });

  it('holds inside the 10 % tolerance', () => {
    // 10 workers, 7 busy, nothing queued: ratio 0.7 / 0.7 = 1.
    expect(decide(new HpaPolicy(options), 0, 10, 0, 7)).toBe(0);
    // 20 workers, 15 busy: ratio 15 / (0.7 × 20) = 1.07, still inside.
    expect(decide(new HpaPolicy(options), 0, 20, 0, 15)).toBe(0);
  });

  it('under step actuation keeps stepping toward the synced count between syncs', () => {
    const p = new HpaPolicy(options);
    expect(decide(p, 0, 10, 5, 10, 1)).toBe(1); // wants 20
    // t = 8: the load vanished, but no sync is due until t >= 15: still heading to 20.
    expect(decide(p, 8, 11, 0, 0, 1)).toBe(1);
  });

  it('does not scale down within the stabilization window after a peak', () => {
    const p = new HpaPolicy(options);
    expect(decide(p, 0, 10, 10, 10)).toBe(10); // recommendation 29, limited to 20
    expect(decide(p, 15, 20, 10, 20)).toBe(12); // 43 -> 32
    // Idle from t = 30: the recommendation of t = 15 (62) is inside (t − 300, t] until t = 315.
    for (let t = 30; t < 315; t += 15) expect(decide(p, t, 32, 0, 0)).toBe(0);
    expect(decide(p, 315, 32, 0, 0)).toBe(-31);
  });

  it('is deterministic and forgets its history on reset', () => {
    const run = (p: HpaPolicy) => [decide(p, 0, 10, 5, 10), decide(p, 15, 20, 0, 3), decide(p, 30, 20, 0, 0)];
    const p = new HpaPolicy(options);
    const first = run(p);
    p.reset();
    expect(run(p)).toEqual(first);
  });

  it('reads its parameters from baselines.hpa, behavior included', () => {
    const p = createHpa(
      makeConfig({
        baselines: {
          hpa: {
            target_per_worker: 2,
            sync_period: 30,
            behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
          },
        },
      }),
    );
    expect(p.options.targetPerWorker).toBe(2);
    expect(p.cadence).toBe(30);
    expect(p.options.behavior.scaleUp.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 60 }]);
    expect(p.options.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });
});
