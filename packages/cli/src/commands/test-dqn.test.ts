import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';
import { trainDqnRun } from './train-dqn.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-test-dqn-'));
let model = '';

beforeAll(async () => {
  const config = loadConfig(shipped, [
    { path: 'episode.max_steps', value: 10 },
    { path: 'dqn.hidden_layers', value: [16] },
    { path: 'dqn.warmup_steps', value: 10 },
    { path: 'dqn.batch_size', value: 8 },
  ]);
  model = (await trainDqnRun({ config, episodes: 2, evalEpisodes: 0, checkpointEvery: 0, out: join(tmp, 'train'), progress: 'quiet' }))
    .modelDir;
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('autofarm test-dqn', () => {
  const io = captureOutput();

  it('evaluates a trained model on held-out seeds and writes the summary, records, log and plots', async () => {
    const dir = join(tmp, 'eval');
    const code = await main([
      'node',
      'autofarm',
      'test-dqn',
      '--config',
      shipped,
      '--model',
      model,
      '--episodes',
      '2',
      '--max-steps',
      '10',
      '--seed',
      '7',
      '--out',
      dir,
    ]);
    expect(io.err).not.toContain('internal error');
    expect(code).toBe(0);
    expect(io.out).toMatch(/\| DQN \| [\d.]+ ± [\d.]+ \| [\d.]+ ± /);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.agents.DQN.episodes.map((e: { seed: number }) => e.seed)).toEqual([1_000_007, 1_000_008]);
    expect(summary.agents.DQN.episodes[0].steps).toBeLessThanOrEqual(10);
    expect(summary.agents.DQN.summary.qos_rate).toEqual({ mean: expect.any(Number), std: expect.any(Number) });
    const aggregated = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(aggregated.agents.DQN.records).toHaveLength(2);
    for (const f of ['logs/evaluation.log', 'plots/dqn_episode_01.png', 'plots/dqn_episode_02.png', 'comparison.md'])
      expect(existsSync(join(dir, f)), f).toBe(true);
  }, 60_000);

  it('exits 2 with a message naming the corrupt file', async () => {
    writeFileSync(join(model, 'weights.bin'), new Uint8Array(7));
    const code = await main([
      'node',
      'autofarm',
      'test-dqn',
      '--config',
      shipped,
      '--model',
      model,
      '--episodes',
      '1',
      '--out',
      join(tmp, 'bad'),
    ]);
    expect(code).toBe(2);
    expect(io.err).toMatch(/weights\.bin/);
    expect(io.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });

  it('exits 2 naming the missing file for a directory that is not a DQN model', async () => {
    mkdirSync(join(tmp, 'nothing-here'), { recursive: true });
    const code = await main(['node', 'autofarm', 'test-dqn', '--config', shipped, '--model', join(tmp, 'nothing-here')]);
    expect(code).toBe(2);
    expect(io.err).toMatch(/nothing-here\/metadata\.json: ENOENT/);
  });
});
