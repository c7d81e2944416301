import { describe, expect, it } from 'vitest';
import { emptyRecord, type EpisodeSummary } from '@autofarm/env';
import { checkpointFrom, evalLine } from './training-log.js';

const summary = (workerSeconds: number, generated: number, met: number): EpisodeSummary => ({
  steps: 30,
  qos_rate: met / generated,
  mean_qos: met / generated,
  mean_workers: workerSeconds / 240,
  max_workers: 20,
  worker_seconds: workerSeconds,
  decisions: 120,
  scaling_actions: 60,
  noop_actions: 60,
  total_reward: 50,
  mean_reward: 1.7,
  p50_latency: 1.5,
  p95_latency: 2.9,
  tasks_generated: generated,
  tasks_completed: generated,
  tasks_met: met,
  tasks_unfinished: 0,
  terminated: true,
  truncated: false,
});

describe('checkpointFrom / evalLine', () => {
  const records = [emptyRecord(1, 30, summary(3000, 1000, 990)), emptyRecord(2, 30, summary(4000, 1000, 1000))];

  it("reports a general agent's cost: worker-seconds + miss price x missed deadlines, mean and population std", () => {
    // costs 3000 + 100 x 10 = 4000 and 4000 + 0 = 4000
    const c = checkpointFrom(7, records, 100);
    expect(c.mean_cost).toBe(4000);
    expect(c.std_cost).toBe(0);
    expect(checkpointFrom(7, records, 30).mean_cost).toBe((3300 + 4000) / 2);
    expect(evalLine(c, 'validation workloads')).toMatch(/ cost=4000±0 \(2 validation workloads\)$/);
  });

  it('leaves the cost out of the original mode, whose agents are paid the shaped reward', () => {
    const c = checkpointFrom(7, records);
    expect(c.mean_cost).toBeUndefined();
    expect(evalLine(c)).not.toContain('cost=');
  });
});
