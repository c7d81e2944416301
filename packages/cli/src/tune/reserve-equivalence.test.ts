import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import { GeneralPolicy, reserveActions } from '@autofarm/agents';
import { createReserve } from '@autofarm/baselines';
import { createEnv, evaluate } from '@autofarm/env';

const config = configSchema.parse({
  seed: 7,
  workload: {
    base_rate: 300,
    phases: [
      { name: 'low', pattern: 'steady', multiplier: 0.3, duration: 40 },
      { name: 'high', pattern: 'steady', multiplier: 1.5, duration: 40 },
    ],
  },
});

describe('reserve baseline', () => {
  it('runs the very episode of a general agent held at the same reserve (one sizing implementation)', async () => {
    const index = config.general.action_reserves.indexOf(0.45);
    expect(index).toBeGreaterThanOrEqual(0);
    const agent = new GeneralPolicy('held', () => index, reserveActions(config), config.general.cadence);
    const rule = createReserve({
      ...config,
      baselines: { ...config.baselines, reserve: { reserve: 0.45, scale_down_limit: 0.03, cadence: 2 } },
    });
    const run = (p: typeof agent | typeof rule) => evaluate(p, () => createEnv(config), [11, 12], { config });
    const [a, b] = [await run(agent), await run(rule)];
    expect(new Set(a[0]?.worker_counts).size).toBeGreaterThan(2); // it does scale
    expect(b.map((r) => r.worker_counts)).toEqual(a.map((r) => r.worker_counts));
    expect(b.map((r) => r.summary.qos_rate)).toEqual(a.map((r) => r.summary.qos_rate));
  });
});
