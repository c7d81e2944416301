import { describe, expect, it } from 'vitest';
import { gammaLaplace, minWorkers, type ServiceProfile } from './queueing-math.js';
import { createQueueing, QueueingPolicy } from './queueing.js';
import { makeConfig, makeCtx, makeInfo, observationOf, settled } from './testing/index.js';

const profile: ServiceProfile = { mean: 1.5, scv: 0.25, missFloor: 0, slackLaplace: gammaLaplace(4, 0.375) };
const options = { targetQos: 0.99, forecastHorizon: 16, drainTime: 8, holtAlpha: 0.5, holtBeta: 0.3 };
const bounds = { min: 1, max: 32 };

function decide(p: QueueingPolicy, step: number, workers: number, queue: number, rate: number): number {
  const info = makeInfo({ step, time: 8 * step, workers, queueLength: queue });
  const ctx = makeCtx(info);
  return settled(p.act(observationOf(info, { arrival_rate: rate }), ctx), workers, ctx);
}

describe('QueueingPolicy', () => {
  it('holds on the first decision, which has no arrival-rate sample yet', () => {
    const p = new QueueingPolicy(options, profile);
    expect(decide(p, 0, 12, 0, 0)).toBe(0);
    expect(p.last).toBeNull();
  });

  it('sizes a steady load with the M/G/c deadline model', () => {
    const p = new QueueingPolicy(options, profile);
    const need = minWorkers(5, profile, 0.99, bounds);
    expect(decide(p, 1, need, 0, 5)).toBe(0);
    expect(p.last).toEqual({ rate: 5, workers: need });
    expect(decide(p, 2, need + 2, 0, 5)).toBe(-1);
  });

  it('scales up on a growing backlog even when arrivals are flat', () => {
    const p = new QueueingPolicy(options, profile);
    const need = minWorkers(5, profile, 0.99, bounds);
    decide(p, 1, need, 0, 5);
    // 40 queued to drain in 8 s: 5 extra tasks/s.
    expect(decide(p, 2, need, 40, 5)).toBe(1);
    expect(p.last?.rate).toBeCloseTo(10, 12);
  });

  it('plans for a rising arrival trend ahead of the level', () => {
    const rising = new QueueingPolicy(options, profile);
    const flat = new QueueingPolicy(options, profile);
    [2, 3, 4, 5, 6].forEach((rate, i) => decide(rising, i + 1, 12, 0, rate));
    [4, 4, 4, 4, 4].forEach((rate, i) => decide(flat, i + 1, 12, 0, rate));
    expect(rising.last?.rate).toBeGreaterThan(6);
    expect(rising.last!.workers).toBeGreaterThan(flat.last!.workers);
  });

  it('keeps the level when the trend points down (scale-down is instant, scale-up is not)', () => {
    const p = new QueueingPolicy(options, profile);
    [8, 7, 6, 5].forEach((rate, i) => decide(p, i + 1, 12, 0, rate));
    // Holt's level is above the last sample and the downward forecast is ignored.
    expect(p.last!.rate).toBeGreaterThan(5);
  });

  it('is deterministic and forgets the forecast on reset', () => {
    const run = (p: QueueingPolicy) => [1, 2, 3, 4].map((s) => decide(p, s, 10, s * 3, 3 + s));
    const p = new QueueingPolicy(options, profile);
    const first = run(p);
    p.reset();
    expect(run(p)).toEqual(first);
  });

  it('reads baselines.queueing and sizes with the configured task distribution', () => {
    const p = createQueueing(makeConfig({ baselines: { queueing: { target_qos: 0.95, drain_time: 16 } } }));
    expect(p.options).toEqual({ ...options, targetQos: 0.95, drainTime: 16 });
    expect(p.profile.mean).toBeCloseTo(1.472, 2);
    expect(p.name).toBe('Queueing');
  });
});
