import { describe, expect, it } from 'vitest';
import { configSchema, type Config, type Policy } from '@autofarm/core';
import { evaluateOnSim } from '../testing/sim-env.js';
import { reserveActions } from './actions.js';
import { GeneralPolicy } from './policy.js';

const evaluateOn = (policy: Policy, c: Config) => evaluateOnSim(policy, c, 5);
const config = configSchema.parse({
  seed: 3,
  workload: {
    base_rate: 300,
    phases: [
      { name: 'low', pattern: 'steady', multiplier: 0.3, duration: 40 },
      { name: 'high', pattern: 'steady', multiplier: 1.5, duration: 40 },
    ],
  },
});

describe('GeneralPolicy', () => {
  it('decides every general.cadence seconds inside the 8 s env step under native actuation', async () => {
    const policy = new GeneralPolicy('g', () => 3, reserveActions(config), config.general.cadence);
    const s = await evaluateOn(policy, config);
    expect(s.decisions).toBe(s.steps * (config.episode.step_duration / config.general.cadence));
  });

  it('holds more workers for a larger reserve, from the same seed', async () => {
    const lean = await evaluateOn(new GeneralPolicy('lean', () => 0, reserveActions(config), 2), config);
    const safe = await evaluateOn(new GeneralPolicy('safe', () => 6, reserveActions(config), 2), config);
    expect(safe.mean_workers).toBeGreaterThan(lean.mean_workers);
    expect(safe.qos_rate).toBeGreaterThanOrEqual(lean.qos_rate);
  });
});
