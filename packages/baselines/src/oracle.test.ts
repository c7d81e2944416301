import { describe, expect, it } from 'vitest';
import { createOracle, OraclePolicy, peakRate } from './oracle.js';
import { gammaLaplace, minWorkers, type ServiceProfile } from './queueing-math.js';
import { makeConfig, makeCtx, makeInfo, makeSchedule, observationOf, settled } from './testing/index.js';

const profile: ServiceProfile = { mean: 1.5, scv: 0.25, missFloor: 0, slackLaplace: gammaLaplace(4, 0.375) };
const options = { targetQos: 0.99, scaleUpDelay: 6, drainTime: 8 };
const bounds = { min: 1, max: 32 };
/** The canonical workload's first two phases: 1.5 tasks/s for 60 s, then 7.5 tasks/s. */
const burst = makeSchedule([
  [60, 1.5],
  [120, 7.5],
]);

function decide(p: OraclePolicy, time: number, workers: number, queue = 0, schedule = burst): number {
  const info = makeInfo({ time, workers, queueLength: queue });
  const ctx = makeCtx(info, { schedule });
  return settled(p.act(observationOf(info), ctx), workers, ctx);
}

describe('OraclePolicy', () => {
  it('declares itself clairvoyant and refuses to run without the schedule', () => {
    const p = new OraclePolicy(options, profile);
    expect(p.clairvoyant).toBe(true);
    const info = makeInfo();
    expect(() => p.act(observationOf(info), makeCtx(info))).toThrow(/schedule/);
  });

  it('pre-scales before a known burst: the step whose interval reaches the burst binds', () => {
    const p = new OraclePolicy(options, profile);
    const high = minWorkers(7.5, profile, 0.99, bounds);
    decide(p, 0, 12);
    // At t = 0 the interval of step j = 6 is [54, 62] s and reaches the burst: high − 6.
    expect(p.last).toEqual({ desired: high - 6, bindingStep: 6 });
    // At t = 48 the burst is one step away: the full count is due now, so it arrives by 54 s.
    decide(p, 48, high - 1);
    expect(p.last?.desired).toBe(high);
  });

  it('rides the quiet start low and still has the burst covered when it starts', () => {
    const p = new OraclePolicy(options, profile);
    const high = minWorkers(7.5, profile, 0.99, bounds);
    const counts: number[] = [];
    let workers = 12; // the canonical initial count
    for (let t = 0; t <= 48; t += 8) {
      workers += decide(p, t, workers);
      counts.push(workers);
    }
    // It first sheds what the quiet minute does not need ...
    expect(Math.min(...counts)).toBeLessThan(12);
    // ... and the worker asked for at t = 48 is ready at 54 s, before the burst at 60 s.
    expect(workers).toBeGreaterThanOrEqual(high);
  });

  it('shrinks toward the need of a quiet future', () => {
    const quiet = makeSchedule([[300, 1.5]]);
    const p = new OraclePolicy(options, profile);
    expect(decide(p, 0, 12, 0, quiet)).toBe(-1);
    expect(p.last?.desired).toBe(minWorkers(1.5, profile, 0.99, bounds));
  });

  it('adds the current backlog to the present need', () => {
    const quiet = makeSchedule([[300, 1.5]]);
    const p = new OraclePolicy(options, profile);
    decide(p, 0, 12, 80, quiet);
    // 80 queued / 8 s = 10 extra tasks/s on top of 1.5.
    expect(p.last?.desired).toBe(minWorkers(11.5, profile, 0.99, bounds));
  });

  it('peakRate finds a short peak inside an interval', () => {
    const spike = makeSchedule([
      [10, 1],
      [11, 9],
      [30, 1],
    ]);
    expect(peakRate(spike, 5, 15, 0.5)).toBe(9);
    expect(peakRate(spike, 12, 20, 0.5)).toBe(1);
  });

  it('takes its cold start from sim.scale_up_delay and its target from baselines.oracle', () => {
    const p = createOracle(makeConfig({ sim: { scale_up_delay: 10 }, baselines: { oracle: { target_qos: 0.995 } } }));
    expect(p.options).toEqual({ targetQos: 0.995, scaleUpDelay: 10, drainTime: 8 });
  });
});
