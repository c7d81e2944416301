import { describe, expect, it } from 'vitest';
import { parseConfig, type Observation, type Policy } from '@autofarm/core';
import { FarmEnv } from './farm-env.js';
import { runEpisode } from './evaluate.js';
import { SimBackend } from './sim/sim-backend.js';
import { canSlice, sliceRecord, stepStartingAt } from './day-split.js';

/** Three 48 s days of a low and a high phase; 4 workers cannot keep up with the high one, so some tasks miss. */
const cfg = parseConfig({
  workload: {
    base_rate: 240,
    phases: [
      { name: 'low', pattern: 'steady', multiplier: 0.5, duration: 24 },
      { name: 'high', pattern: 'steady', multiplier: 2.5, duration: 24 },
    ],
    repeat: { times: 3, level_jitter: 0.2, time_jitter: 0.1 },
  },
  episode: { max_steps: 22 },
  scaling: { initial_workers: 4 },
});

const hold: Policy = { name: 'Hold', reset: () => undefined, act: (_o: Observation) => 0 };

async function episode(seed: number) {
  const env = new FarmEnv(cfg, new SimBackend(cfg));
  try {
    return await runEpisode(env, hold, { seed, config: cfg });
  } finally {
    await env.close();
  }
}

describe('day-split scores', () => {
  it('finds the step each day starts at (48 s days, 8 s steps: steps 0, 6, 12)', async () => {
    const r = await episode(3);
    expect([0, 48, 96].map((t) => stepStartingAt(r, t))).toEqual([0, 6, 12]);
  });

  it('gives back the whole episode for the whole range', async () => {
    const r = await episode(4);
    expect(canSlice(r)).toBe(true);
    const all = sliceRecord(r, 0);
    expect(all.summary.tasks_met).toBe(r.summary.tasks_met);
    expect(all.summary.tasks_generated).toBe(r.summary.tasks_generated);
    expect(all.summary.qos_rate).toBeCloseTo(r.summary.qos_rate, 12);
    expect(all.summary.worker_seconds).toBeCloseTo(r.summary.worker_seconds, 9);
  });

  it('splits tasks and worker-seconds into days that add up, each day counting the tasks that arrived in it', async () => {
    const r = await episode(5);
    const days = [sliceRecord(r, 0, 6), sliceRecord(r, 6, 12), sliceRecord(r, 12)];
    const sum = (f: (d: (typeof days)[number]) => number) => days.reduce((s, d) => s + f(d), 0);
    expect(sum((d) => d.summary.tasks_generated)).toBe(r.summary.tasks_generated);
    expect(sum((d) => d.summary.tasks_met)).toBe(r.summary.tasks_met);
    expect(sum((d) => d.summary.worker_seconds)).toBeCloseTo(r.summary.worker_seconds, 9);
    expect(days[0]!.summary.steps).toBe(6);
    expect(days[2]!.summary.steps).toBe(r.steps - 12);
    // 4 fixed workers, 48 s a day: 192 worker-seconds (the drain steps belong to the last day)
    expect(days[1]!.summary.worker_seconds).toBeCloseTo(192, 6);
    for (const d of days) expect(d.summary.qos_rate).toBeLessThanOrEqual(1);
    expect(Math.min(...days.map((d) => d.summary.qos_rate))).toBeLessThan(1);
  });
});
