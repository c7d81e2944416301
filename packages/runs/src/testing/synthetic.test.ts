import { describe, expect, it } from 'vitest';
import { syntheticEvaluation, syntheticRecord, syntheticTraining } from './synthetic.js';

describe('synthetic fixtures', () => {
  it('give the identical record for the same seed and a different one for another seed', () => {
    expect(syntheticRecord(7)).toEqual(syntheticRecord(7));
    expect(syntheticRecord(7).arrival_rates).not.toEqual(syntheticRecord(8).arrival_rates);
    expect(syntheticTraining(3, 20, { loss: true })).toEqual(syntheticTraining(3, 20, { loss: true }));
  });

  it('keep per-step arrays aligned with the step count and the summary consistent with them', () => {
    const r = syntheticRecord(1, { steps: 25 });
    for (const key of [
      'actions',
      'applied_actions',
      'worker_counts',
      'qos_rates',
      'rewards',
      'queue_lengths',
      'avg_times',
      'max_times',
      'arrival_rates',
      'times',
    ] as const) {
      expect(r[key]).toHaveLength(25);
    }
    expect(r.summary.max_workers).toBe(Math.max(...r.worker_counts));
    expect(r.summary.scaling_actions + r.summary.noop_actions).toBe(25);
  });

  it('evaluate every n-th training episode', () => {
    expect(syntheticEvaluation(syntheticTraining(1, 10), 5).map((c) => c.episode)).toEqual([5, 10]);
  });
});
