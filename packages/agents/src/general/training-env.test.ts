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
});
