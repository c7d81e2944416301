import { describe, expect, it } from 'vitest';
import type { EpisodeRecord } from '@autofarm/env';
import { episodeCost, fieldMetrics, provisioningTimeshare } from './field-metrics.js';
import { syntheticRecord } from './testing/synthetic.js';

/** A record on `seed` with chosen QoS, worker-seconds, misses and worker curve. */
function rec(seed: number, o: { qos: number; ws: number; misses?: number; workers?: number[] }): EpisodeRecord {
  const r = syntheticRecord(seed);
  const generated = 1000;
  const missed = o.misses ?? 0;
  return {
    ...r,
    worker_counts: o.workers ?? r.worker_counts,
    summary: { ...r.summary, qos_rate: o.qos, worker_seconds: o.ws, tasks_generated: generated, tasks_met: generated - missed },
  };
}

describe('field metrics', () => {
  it('prices an episode as worker-seconds plus the miss price per missed or unfinished task', () => {
    expect(episodeCost(rec(1, { qos: 0.997, ws: 1200, misses: 3 }).summary, 100)).toBe(1500);
  });

  it('gives the cost ratio to hindsight on the same seeds: (1200 + 300) / 1000 = 1.5', () => {
    const m = fieldMetrics([rec(1, { qos: 0.997, ws: 1200, misses: 3 })], { oracle: null, hindsight: [rec(1, { qos: 1, ws: 1000 })] }, 100);
    expect(m.cost_ratio).toBeCloseTo(1.5, 12);
    expect(m.ws_over_oracle).toBeNull();
  });

  it("compares worker-seconds with the oracle's only where the QoS is at least the oracle's (to 0.1 pp)", () => {
    const oracle = [rec(1, { qos: 0.991, ws: 1000 })];
    const as = (qos: number) => fieldMetrics([rec(1, { qos, ws: 1300 })], { oracle, hindsight: null }, 100).ws_over_oracle;
    expect(as(0.9912)).toBeCloseTo(1.3, 12);
    expect(as(0.9906)).toBeCloseTo(1.3, 12); // 99.1 % to 0.1 pp
    expect(as(0.989)).toBeNull();
  });

  it('counts the steps below and above the reference curve over the steps both ran', () => {
    const agent = [rec(1, { qos: 1, ws: 1, workers: [4, 5, 6, 7] })];
    const hindsight = [rec(1, { qos: 1, ws: 1, workers: [5, 5, 5] })];
    expect(provisioningTimeshare(agent, hindsight)).toEqual({ under: 1 / 3, over: 1 / 3 });
  });

  it('leaves every metric empty when the yardsticks ran other seeds', () => {
    const m = fieldMetrics(
      [rec(1, { qos: 1, ws: 1 })],
      { oracle: [rec(2, { qos: 1, ws: 1 })], hindsight: [rec(2, { qos: 1, ws: 1 })] },
      100,
    );
    expect(m).toEqual({ ws_over_oracle: null, cost_ratio: null, under_timeshare: null, over_timeshare: null });
  });
});
