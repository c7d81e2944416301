import { describe, expect, it } from 'vitest';
import { parseConfig, type Config, type Policy } from '@autofarm/core';
import { episodeCost, episodeStatistics, RecordEpisodeStatistics } from './episode-stats.js';
import { runEpisode } from './evaluate.js';
import { FarmEnv } from './farm-env.js';
import { SimBackend } from './sim/sim-backend.js';

const config: Config = parseConfig({
  workload: {
    base_rate: 300,
    phases: [{ name: 'spike', pattern: 'spike', multiplier: 1, duration: 64, spike: { at: 0.25, width: 0.25, height: 2 } }],
  },
  episode: { max_steps: 12 },
  scaling: { initial_workers: 6 },
});
const ACTIONS = [1, 1, 0, -1, 3, 0, 0, -2, -1, 0, 1, 0];

/** Answers from a fixed list, one per step (a step-cadence policy). */
function scripted(): Policy {
  let i = 0;
  return { name: 'Scripted', reset: () => void (i = 0), act: () => ACTIONS[i++] ?? 0 };
}

describe('RecordEpisodeStatistics', () => {
  it('records an episode driven step by step exactly as the evaluation records it', async () => {
    const evaluated = await runEpisode(new FarmEnv(config, new SimBackend(config)), scripted(), { seed: 5, config, actuation: 'native' });
    const recorded = new RecordEpisodeStatistics(new FarmEnv(config, new SimBackend(config)));
    await recorded.reset({ seed: 5 });
    for (let i = 0; ; i++) {
      const r = await recorded.step(ACTIONS[i] ?? 0);
      if (r.terminated || r.truncated) break;
    }
    expect(recorded.lastEpisode).toEqual(evaluated);
  });

  it("gives training rows the record's statistics: applied scaling counts add up to the steps", async () => {
    const recorded = new RecordEpisodeStatistics(new FarmEnv(config, new SimBackend(config)));
    await recorded.reset({ seed: 9 });
    for (let i = 0; ; i++) {
      const r = await recorded.step(ACTIONS[i] ?? 0);
      if (r.terminated || r.truncated) break;
    }
    const stats = episodeStatistics(recorded.lastEpisode!);
    expect(stats.scale_up_count + stats.scale_down_count + stats.noop_count).toBe(stats.steps);
    expect(stats.final_qos).toBe(recorded.lastEpisode!.summary.qos_rate);
    expect(stats.mean_workers).toBeCloseTo(recorded.lastEpisode!.worker_counts.reduce((a, b) => a + b, 0) / stats.steps, 12);
  });
});

describe('episodeCost', () => {
  it('adds the miss price per task that missed or never finished to the worker-seconds', () => {
    // 3000 worker-seconds, 1000 generated, 990 met: 3000 + 100 × 10
    expect(episodeCost({ worker_seconds: 3000, tasks_generated: 1000, tasks_met: 990 }, 100)).toBe(4000);
    expect(episodeCost({ worker_seconds: 3000, tasks_generated: 1000, tasks_met: 1000 }, 100)).toBe(3000);
  });
});
