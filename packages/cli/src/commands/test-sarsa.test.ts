import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';
import { trainSarsaRun } from './train-sarsa.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-test-sarsa-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let model = '';
beforeAll(async () => {
  const config = loadConfig(shipped, [{ path: 'episode.max_steps', value: 6 }]);
  model = (await trainSarsaRun({ config, episodes: 3, evalEpisodes: 0, checkpointEvery: 0, out: join(tmp, 'train'), progress: 'quiet' }))
    .modelFile;
});

describe('autofarm test-sarsa', () => {
  const io = captureOutput();

  it('evaluates a model greedily on held-out seeds with step tables, plots and summary.json', async () => {
    const dir = join(tmp, 'eval');
    const code = await main([
      'node',
      'autofarm',
      'test-sarsa',
      '--config',
      shipped,
      '--model',
      model,
      '--episodes',
      '2',
      '--max-steps',
      '5',
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    expect(io.out).toMatch(/== SARSA, episode 2\/2, seed 1000043/);
    expect(io.out).toMatch(/\| SARSA \| [\d.]+ ± [\d.]+ \|/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.agents.SARSA.summary.qos_rate).toEqual({ mean: expect.any(Number), std: expect.any(Number) });
    expect(summary.agents.SARSA.episodes.map((e: { seed: number; steps: number }) => [e.seed, e.steps])).toEqual([
      [1000042, 5],
      [1000043, 5],
    ]);
    for (const f of [
      'aggregated_results.json',
      'logs/evaluation.log',
      'plots/sarsa_episode_01.png',
      'plots/sarsa_episode_02.png',
      'run.json',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('works as --agents sarsa --model FILE in compare-policies', async () => {
    const dir = join(tmp, 'compare');
    const code = await main([
      'node',
      'autofarm',
      'compare-policies',
      '--config',
      shipped,
      '--agents',
      'sarsa',
      'static',
      '--model',
      model,
      '--episodes',
      '1',
      '--max-steps',
      '4',
      '--out',
      dir,
    ]);
    expect(io.err).not.toMatch(/error/i);
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(Object.keys(results.agents)).toContain('SARSA');
  });

  it('exits 2 with a clear message for a corrupt model file', async () => {
    const bad = join(tmp, 'corrupt.json');
    writeFileSync(bad, '{"format": "autofarm-sarsa", "q_tab');
    const code = await main(['node', 'autofarm', 'test-sarsa', '--config', shipped, '--model', bad, '--out', join(tmp, 'never')]);
    expect(code).toBe(2);
    expect(io.err).toContain(`SARSA model ${bad}: not valid JSON`);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('exits 2 naming the mismatch for a model trained with other bins or another action space', async () => {
    const m = JSON.parse(readFileSync(model, 'utf8'));
    const otherBins = join(tmp, 'other-bins.json');
    m.discretisation.edges[4] = [10.5, 13.5];
    writeFileSync(otherBins, JSON.stringify(m));
    expect(await main(['node', 'autofarm', 'test-sarsa', '--config', shipped, '--model', otherBins])).toBe(2);
    expect(io.err).toMatch(/does not match the configuration:\n {2}bins of workers: model \[10\.5, 13\.5\]/);
    io.err = '';
    const otherSpace = join(tmp, 'other-space.json');
    writeFileSync(
      otherSpace,
      JSON.stringify({ ...JSON.parse(readFileSync(model, 'utf8')), action_space: { max_delta: 2, n: 5 }, q_table: {} }),
    );
    expect(await main(['node', 'autofarm', 'test-sarsa', '--config', shipped, '--model', otherSpace])).toBe(2);
    expect(io.err).toMatch(/action space: model has max_delta 2/);
  });

  it('exits 2 for a missing model file', async () => {
    expect(await main(['node', 'autofarm', 'test-sarsa', '--config', shipped, '--model', join(tmp, 'nope.json')])).toBe(2);
    expect(io.err).toBe(`autofarm: --model ${join(tmp, 'nope.json')}: does not exist\n`);
  });
});
