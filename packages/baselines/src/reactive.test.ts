import { describe, expect, it } from 'vitest';
import { ReactiveAverage } from './reactive-average.js';
import { ReactiveMaximum } from './reactive-maximum.js';
import { reactiveDecision } from './reactive-rule.js';
import { makeCtx, makeInfo, makeObservation } from './testing/index.js';

describe('reactiveDecision (the original analytical FARM rule, reference §8)', () => {
  it("sheds a worker on the original's first step (λ = 0, Q = 0, E = 0, W = 12)", () => {
    const d = reactiveDecision(makeObservation(), 0, 1.5, { horizon: 8, safetyFactor: 1, adjustmentFactor: 0.5 });
    expect(d.nOpt).toBe(1);
    expect(d.busy).toBe(0);
    expect(d.gap).toBe(-11);
    expect(d.delta).toBe(-1);
  });

  it('counts the workers busy with tasks enqueued but not yet queued, processed or collected', () => {
    // E = 30, Q = 10, result 0, output 10 -> active 10, a_w = min(12, 9) = 9; s = 1.5, H = 8:
    // busy = 9 / 8 × 1.5 × 0.5 = 0.84375.
    const o = makeObservation({ worker_q: 10, output_q: 10, arrival_rate: 2 });
    const d = reactiveDecision(o, 30, 1.5, { horizon: 8, safetyFactor: 1, adjustmentFactor: 0.5 });
    expect(d.busy).toBeCloseTo(0.84375, 12);
    // n_opt = (10 / 8) × 1.5 + 2 × 1.5 = 4.875; gap = 4.875 − (12 − 0.84375).
    expect(d.gap).toBeCloseTo(4.875 - 12 + 0.84375, 12);
  });

  it('holds while the gap is inside ±0.5', () => {
    // n_opt = 4 × 1.5 = 6 with W = 6 and nothing active: gap 0.
    const o = makeObservation({ workers: 6, arrival_rate: 4 });
    expect(reactiveDecision(o, 0, 1.5, { horizon: 8, safetyFactor: 1, adjustmentFactor: 0.5 }).delta).toBe(0);
  });

  it('stretches the horizon to the service time when the service time is longer', () => {
    // s = 20 > horizon 8: H = 20, n_queue = Q / 20 × 20 = Q.
    const o = makeObservation({ worker_q: 30, workers: 12 });
    const d = reactiveDecision(o, 0, 20, { horizon: 8, safetyFactor: 1, adjustmentFactor: 0.5 });
    expect(d.nOpt).toBeCloseTo(30, 12);
  });
});

describe('ReactiveAverage', () => {
  it('scales up on a growing backlog', () => {
    const p = new ReactiveAverage();
    const o = makeObservation({ worker_q: 60, arrival_rate: 8, avg_time: 2.5, max_time: 4, workers: 10 });
    expect(p.act(o, makeCtx(makeInfo({ enqueuedTotal: 200, metrics: { collectedTotal: 100 } })))).toBe(1);
  });

  it('uses the average latency (floored at 0.1 s) as the service time', () => {
    // λ = 5, avg 0.01 -> s = 0.1: n_opt = max(1, 0.5) = 1 vs W = 12 -> scale down.
    const p = new ReactiveAverage();
    expect(p.act(makeObservation({ arrival_rate: 5, avg_time: 0.01, max_time: 3 }), makeCtx(makeInfo()))).toBe(-1);
  });

  it('stores the horizon as at least 0.1 s and the adjustment as at least 0', () => {
    const p = new ReactiveAverage({ horizon: 0, adjustmentFactor: -1, safetyFactor: 0.2 });
    expect(p.parameters).toEqual({ horizon: 0.1, safetyFactor: 1, adjustmentFactor: 0 });
    expect(p.name).toBe('ReactiveAverage');
  });
});

describe('ReactiveMaximum', () => {
  it('uses the maximum latency: the same window scales up where ReactiveAverage scales down', () => {
    // λ = 5: with avg 1.5 -> n_opt 7.5 < 12 - busy; with max 3 -> n_opt 15 > 12.
    const o = makeObservation({ arrival_rate: 5, avg_time: 1.5, max_time: 3 });
    const ctx = makeCtx(makeInfo());
    expect(new ReactiveAverage().act(o, ctx)).toBe(-1);
    expect(new ReactiveMaximum().act(o, ctx)).toBe(1);
  });

  it('never lets the adjustment factor fall below 1 (the original asymmetric clamp)', () => {
    expect(new ReactiveMaximum({ adjustmentFactor: 0.2 }).parameters.adjustmentFactor).toBe(1);
    expect(new ReactiveMaximum().name).toBe('ReactiveMaximum');
  });

  it('reads the enqueued total E from the platform signals', () => {
    // W = 12, λ = 5.5, s = 2 -> n_opt = 11; gap = 11 − 12 + busy. With E = 0, busy 0 -> −1 -> −1.
    // With 24 tasks in workers' hands: a_w = min(12, 23) = 12, busy = 12 / 8 × 2 = 3 -> gap 2 -> +1.
    const o = makeObservation({ arrival_rate: 5.5, avg_time: 2, max_time: 2 });
    const p = new ReactiveMaximum();
    expect(p.act(o, makeCtx(makeInfo({ enqueuedTotal: 0 })))).toBe(-1);
    expect(p.act(o, makeCtx(makeInfo({ enqueuedTotal: 24 })))).toBe(1);
  });
});
