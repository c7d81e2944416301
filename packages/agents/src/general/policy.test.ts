import { describe, expect, it } from 'vitest';
import { configSchema, type Config, type Env, type Policy } from '@autofarm/core';
import { reserveActions } from './actions.js';
import { GeneralPolicy } from './policy.js';

// The env package is not a dependency of agents: evaluate through a dynamic import of its dist.
type Summary = { decisions: number; steps: number; qos_rate: number; mean_workers: number };
const evaluateOn = async (policy: Policy, c: Config): Promise<Summary> => {
  const env = (await import('@autofarm/env' as string)) as {
    createEnv: (c: Config) => Promise<Env>;
    evaluate: (p: Policy, make: () => Promise<Env>, seeds: number[], o: { config: Config }) => Promise<Array<{ summary: Summary }>>;
  };
  const [r] = await env.evaluate(policy, () => env.createEnv(c), [5], { config: c });
  return (r as { summary: Summary }).summary;
};
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
