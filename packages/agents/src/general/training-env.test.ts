import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import { simEnv as makeEnv } from '../testing/sim-env.js';
import { GeneralTrainingEnv } from './training-env.js';
import { FEATURE_NAMES } from './features.js';
import { trainSarsa } from '../sarsa.js';
import { createGeneralSarsaAgent, generalSarsaPolicy, toGeneralSarsaFile } from './sarsa-general.js';
import { reserveActions } from './actions.js';

const config = configSchema.parse({
  seed: 3,
  workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] },
  general: { domain: { farm_scale: [0.5, 1], phase_duration: [30, 40], phases: [2, 3] } },
});

describe('GeneralTrainingEnv', () => {
  it('steps every general.cadence seconds, shows the features, pays the cost reward and repeats itself for a seed', async () => {
    const run = async () => {
      const env = new GeneralTrainingEnv(config, makeEnv);
      const r = await env.reset({ seed: 11 });
      expect(r.observation).toHaveLength(FEATURE_NAMES.length);
      const out: number[] = [];
      for (let i = 0; i < 8; i++) {
        const s = await env.step(i % 7); // reserve indices 0..6
        expect(s.reward).toBeLessThanOrEqual(0);
        expect(s.info.time).toBeCloseTo(2 * (i + 1), 9); // one step per decision, general.cadence apart
        out.push(s.reward, ...s.observation, s.info.workers);
      }
      await env.close();
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it('takes reserve indices 0..n-1 and refuses anything else', async () => {
    const env = new GeneralTrainingEnv(config, makeEnv);
    expect(env.actionSpace.n).toBe(config.general.action_reserves.length);
    await env.reset({ seed: 2 });
    await expect(env.step(-1)).rejects.toThrow(/reserve index in \[0, 7\), found -1/);
    await env.close();
  });

  it('trains the same general SARSA table from the same seed (the shipped-model reproducibility in small)', async () => {
    const table = async () => {
      const env = new GeneralTrainingEnv(config, makeEnv);
      const agent = createGeneralSarsaAgent(config);
      await trainSarsa(env, agent, { episodes: 4, seed: config.seed });
      await env.close();
      return toGeneralSarsaFile(
        agent,
        { seed: 3, configHash: 'x', episodesTrained: 4, missPrice: 100, actions: reserveActions(config), cadence: 2 },
        new Date(0),
      );
    };
    const a = await table();
    expect(Object.keys(a.q_table).length).toBeGreaterThan(1);
    expect(await table()).toEqual(a);
    const policy = generalSarsaPolicy(createGeneralSarsaAgent(config), reserveActions(config), config.general.cadence);
    expect(policy.name).toContain('general');
    expect(policy.cadence).toBe(2);
  });

  describe('actionRewards (common random numbers, training only)', () => {
    /** 10 s at `before` x 10 tasks/s, then 110 s at `multiplier` x 10 tasks/s (~1.1 s tasks), on 1..32 workers. */
    const farm = (multiplier: number, initial: number, before = multiplier) =>
      configSchema.parse({
        seed: 5,
        workload: {
          base_rate: 600,
          phases: [
            { name: 'a', pattern: 'steady', multiplier: before, duration: 10 },
            { name: 'b', pattern: 'steady', multiplier, duration: 110 },
          ],
        },
        scaling: { min_workers: 1, max_workers: 32, initial_workers: initial },
      });
    const at = async (config: ReturnType<typeof farm>, steps: number) => {
      const env = new GeneralTrainingEnv(config, makeEnv, { randomize: false });
      await env.reset({ seed: 9 });
      for (let i = 0; i < steps; i++) await env.step(3);
      return env;
    };

    it('gives every reserve a reward on the same future, centred on their mean, without moving the episode', async () => {
      const env = await at(farm(0.2, 8), 5);
      const rewards = env.actionRewards(40) as number[];
      expect(rewards).toHaveLength(env.actions.n);
      expect(rewards.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
      expect(env.actionRewards(40)).toEqual(rewards);
      const next = await env.step(3);
      const untouched = await at(farm(0.2, 8), 5);
      const again = await untouched.step(3);
      // the same step 7 whether or not forks were run at step 6
      expect([next.info.workers, next.info.time]).toEqual([again.info.workers, again.info.time]);
      await env.close();
      await untouched.close();
    });

    it('prefers the leanest reserve on a quiet farm and a large one when the farm is far behind its load', async () => {
      // 2 tasks/s of ~1.1 s on 16 workers: no reserve saves a deadline, every extra worker costs
      const quiet = await at(farm(0.2, 16), 5);
      const q = quiet.actionRewards(40) as number[];
      for (let a = 1; a < q.length; a++) expect(q[a]).toBeLessThanOrEqual(q[a - 1] as number);
      expect(q[q.length - 1]).toBeLessThan(q[0] as number);
      // measured 1 task/s, and 10 tasks/s arrive from now on: the lean counts miss, at 100 worker-seconds a deadline
      const behind = await at(farm(1, 4, 0.1), 5);
      const b = behind.actionRewards(40) as number[];
      expect(b[b.length - 1]).toBeGreaterThan(b[0] as number);
      await quiet.close();
      await behind.close();
    });
  });
});
