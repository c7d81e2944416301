import { describe, expect, it } from 'vitest';
import { loadConfig, loadScenario, listScenarios, parseConfig } from '@autofarm/core';
import { episodeFit, episodeFitMessage } from './fit.js';

const root = new URL('../../../', import.meta.url).pathname;
const shipped = `${root}configuration.yml`;

describe('episodeFit', () => {
  it('says a workload longer than max_steps x step_duration is cut, and how many steps would cover it', () => {
    const config = parseConfig({ workload: { phases: [{ name: 'long', pattern: 'steady', multiplier: 1, duration: 1200 }] } });
    const fit = episodeFit(config);
    expect(fit).toEqual({ workloadSeconds: 1200, episodeSeconds: 320, fits: false, stepsNeeded: 150 });
    expect(episodeFitMessage(fit, config)).toContain(
      'lasts 1200 s but an episode ends after episode.max_steps x episode.step_duration = 40 x 8 s = 320 s',
    );
    expect(episodeFitMessage(fit, config)).toContain('episode.max_steps >= 150');
  });

  it('fits a workload that ends exactly at the last step', () => {
    const config = parseConfig({
      workload: { phases: [{ name: 'a', pattern: 'steady', multiplier: 1, duration: 240 }] },
      episode: { max_steps: 30, step_duration: 8 },
    });
    expect(episodeFit(config).fits).toBe(true);
  });

  it('finds every shipped scenario and the shipped configuration fitting their episode', () => {
    expect(episodeFit(loadConfig(shipped)).fits).toBe(true);
    const names = listScenarios(`${root}scenarios`);
    expect(names.length).toBeGreaterThanOrEqual(13);
    for (const name of names) expect([name, episodeFit(loadScenario(name, { base: shipped }).config).fits]).toEqual([name, true]);
  });
});
