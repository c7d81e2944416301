import { describe, expect, it } from 'vitest';
import { gammaServiceProfile, minWorkers } from '@autofarm/core';
import { createReserve, ReservePolicy } from './reserve.js';
import { makeConfig, makeCtx, makeInfo, observationOf } from './testing/index.js';

const options = { reserve: 0.3, scaleDownLimit: 0.03, cadence: 2, serviceShape: 4, deadlineCoefficient: 2 };
const native = { maxDelta: 31, stepDuration: 8 };

/** Decide at `time` with `enqueued` arrivals so far, `collected` tasks done and `busy` workers busy. */
function decide(p: ReservePolicy, time: number, enqueued: number, collected: number, busy: number, workers = 12, queue = 0): number {
  const info = makeInfo({
    time,
    workers,
    queueLength: queue,
    enqueuedTotal: enqueued,
    metrics: { busyWorkers: busy, collectedTotal: collected },
  });
  return p.act(observationOf(info, { avg_time: 1 }), makeCtx(info, native));
}

describe('ReservePolicy', () => {
  it('holds until a rate has been measured', () => {
    const p = new ReservePolicy(options);
    expect(decide(p, 0, 0, 0, 0)).toBe(0);
  });

  it('sizes the measured load with the M/G/c model and keeps the reserve share of the range above it', () => {
    const p = new ReservePolicy(options);
    // 10 tasks/s, every task done by 10 busy workers: service 1 s (Little's law over the window)
    for (let t = 0; t <= 20; t += 2) decide(p, t, 10 * t, 10 * t, 10);
    const sized = minWorkers(10, gammaServiceProfile(1, { serviceShape: 4, deadlineCoefficient: 2 }), 0.999, { min: 1, max: 32 });
    const expected = sized + Math.ceil(0.3 * (32 - sized));
    expect(decide(p, 22, 220, 220, 10, 12)).toBe(expected - 12);
  });

  it('holds more workers for a larger reserve on the same load', () => {
    const lean = new ReservePolicy({ ...options, reserve: 0 });
    const safe = new ReservePolicy({ ...options, reserve: 0.6 });
    let a = 0;
    let b = 0;
    for (let t = 0; t <= 20; t += 2) {
      a = decide(lean, t, 5 * t, 5 * t, 5);
      b = decide(safe, t, 5 * t, 5 * t, 5);
    }
    expect(b).toBeGreaterThan(a);
  });

  it('forgets the episode on reset: the same readings give the same decisions', () => {
    const p = new ReservePolicy(options);
    const run = () => [0, 2, 4, 6, 8].map((t) => decide(p, t, 7 * t, 6 * t, 6));
    const first = run();
    p.reset();
    expect(run()).toEqual(first);
  });

  it('takes its reserve, scale-down limit and cadence from baselines.reserve', () => {
    const p = createReserve(makeConfig({ baselines: { reserve: { reserve: 0.45, cadence: 4 } } }));
    expect(p.options).toMatchObject({ reserve: 0.45, scaleDownLimit: 0.03, cadence: 4, serviceShape: 4, deadlineCoefficient: 2 });
    expect(p.cadence).toBe(4);
  });
});
