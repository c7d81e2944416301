import { describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { SHIPPED_CONFIG } from '../testing/index.js';
import { DEFAULT_BENCHMARK_AGENTS, defaultAgents } from './benchmark.js';

describe('default benchmark agents', () => {
  it("run each rule with knobs at its platform default and, right after, calibrated from configuration.yml's tuned: block", () => {
    const config = loadConfig(SHIPPED_CONFIG);
    const agents = defaultAgents(config);
    for (const rule of Object.keys(config.tuned)) expect(agents.indexOf(`${rule}-tuned`)).toBe(agents.indexOf(rule) + 1);
    expect(agents.filter((a) => !a.endsWith('-tuned'))).toEqual([...DEFAULT_BENCHMARK_AGENTS]);
    expect(agents).toContain('reserve');
  });

  it('leave the tuned rows out when the configuration tunes nothing', () => {
    const config = { ...loadConfig(SHIPPED_CONFIG), tuned: {} };
    expect(defaultAgents(config)).toEqual([...DEFAULT_BENCHMARK_AGENTS]);
  });
});
