import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { readTrainingRun } from '@autofarm/runs';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';
import { trainSarsaRun } from './train-sarsa.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-train-sarsa-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tiny = ['--episodes', '3', '--max-steps', '5', '--eval-episodes', '2', '--checkpoint-every', '2'];

describe('autofarm train-sarsa', () => {
  const io = captureOutput();

  it('trains with a tiny budget and writes model, checkpoints, metrics, logs and plots', async () => {
    const dir = join(tmp, 'run');
    const code = await main([
      'node',
      'autofarm',
      'train-sarsa',
      '--config',
      shipped,
      '--mode',
      'original',
      ...tiny,
      '--seed',
      '5',
      '--arrival-process',
      'controlled',
      '--alpha',
      '0.1',
      '--trace',
      'replacing',
      '--out',
      dir,
    ]);
    expect(io.err).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(io.out).toContain('trained 3 episodes');
    expect(io.out).toMatch(/held-out evaluation \(2 episodes\): QoS [\d.]+ ± [\d.]+ %/);
    for (const f of [
      'models/sarsa_final.json',
      'models/sarsa_ep0002.json',
      'training_metrics.json',
      'evaluation_metrics.json',
      'training_state_visits.json',
      'plots/training_curves.png',
      'logs/training.log',
      'steps.jsonl',
      'run.json',
      'config.resolved.json',
      'training_summary.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const run = readTrainingRun(dir);
    expect(run.training.map((e) => e.episode)).toEqual([1, 2, 3]);
    expect(run.training.every((e) => e.steps === 5 && e.final_qos >= 0 && e.final_qos <= 1)).toBe(true);
    // checkpoints at 2, then the final evaluation at 3, each on 2 held-out seeds
    expect(run.evaluation?.map((c) => [c.episode, c.eval_episodes])).toEqual([
      [2, 2],
      [3, 2],
    ]);
    const log = readFileSync(join(dir, 'logs/training.log'), 'utf8');
    expect(log).toMatch(/^Episode 3\/3 \| steps=5 reward=/m);
    expect(log).toMatch(/\[EVAL\] Episode 2 \|/);
    expect(log).toContain('TD_err');
    const model = JSON.parse(readFileSync(join(dir, 'models/sarsa_final.json'), 'utf8'));
    expect(model).toMatchObject({
      format: 'autofarm-sarsa',
      format_version: 1,
      seed: 5,
      episodes_trained: 3,
      action_space: { max_delta: 1, n: 3 },
    });
    expect(model.hyperparams).toMatchObject({ alpha: 0.1, trace: 'replacing' });
    const resolved = JSON.parse(readFileSync(join(dir, 'config.resolved.json'), 'utf8'));
    expect(resolved.workload.arrival_process).toBe('controlled');
  });

  it('names the flag of a bad hyper-parameter and exits 2', async () => {
    const code = await main([
      'node',
      'autofarm',
      'train-sarsa',
      '--config',
      shipped,
      '--mode',
      'original',
      ...tiny,
      '--gamma',
      '1.5',
      '--out',
      join(tmp, 'bad'),
    ]);
    expect(code).toBe(2);
    expect(io.err).toMatch(/--gamma/);
  });

  it('produces the identical Q-table for two trainings with the same seed', async () => {
    const config = loadConfig(shipped, [
      { path: 'episode.max_steps', value: 12 },
      { path: 'seed', value: 9 },
    ]);
    const table = async (name: string) => {
      const r = await trainSarsaRun({ config, episodes: 4, evalEpisodes: 0, checkpointEvery: 0, out: join(tmp, name), progress: 'quiet' });
      return JSON.parse(readFileSync(r.modelFile, 'utf8')).q_table as Record<string, number[]>;
    };
    const a = await table('same-a');
    expect(Object.keys(a).length).toBeGreaterThan(1);
    expect(await table('same-b')).toEqual(a);
  });
});
