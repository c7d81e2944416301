import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { readTrainingRun } from '@autofarm/runs';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';
import { runTraining } from './harness.js';
import { GENERAL } from './setting.js';
import { sarsaTrainer } from './sarsa-trainer.js';

const tmp = mkdtempSync(join(tmpdir(), 'autofarm-general-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => main(['node', 'autofarm', ...args, '--config', SHIPPED_CONFIG]);

describe('general training (train-sarsa / train-dqn --mode general)', () => {
  const io = captureOutput();

  it('trains SARSA with a tiny budget through the harness: model, checkpoints, validation, metrics, plot', async () => {
    const dir = join(tmp, 'sarsa');
    expect(
      await run('train-sarsa', '--mode', 'general', '--episodes', '4', '--eval-episodes', '2', '--checkpoint-every', '2', '--out', dir),
    ).toBe(0);
    expect(io.out).toContain('trained 4 episodes (general');
    expect(io.out).toMatch(/cost \d+ worker-seconds an episode/);
    for (const f of [
      'models/sarsa_general_final.json',
      'models/sarsa_general_ep0002.json',
      'training_metrics.json',
      'evaluation_metrics.json',
      'plots/training_curves.png',
      'logs/training.log',
      'training_summary.json',
      'run.json',
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const r = readTrainingRun(dir);
    expect(r.training.map((e) => e.episode)).toEqual([1, 2, 3, 4]);
    expect(r.evaluation?.map((c) => c.episode)).toEqual([2, 4]);
    expect(readFileSync(join(dir, 'logs/training.log'), 'utf8')).toMatch(/\[EVAL\] Episode 4 .* cost=\d+±\d+ \(2 validation workloads\)/);
    expect(JSON.parse(readFileSync(join(dir, 'models/sarsa_general_final.json'), 'utf8'))).toMatchObject({
      format: 'autofarm-general-sarsa',
      episodes_trained: 4,
    });
  });

  it('honours --step-log-every in general mode: step rows of the features', async () => {
    const dir = join(tmp, 'steps');
    expect(
      await run('train-sarsa', '--mode', 'general', '--episodes', '2', '--eval-episodes', '0', '--step-log-every', '1', '--out', dir),
    ).toBe(0);
    const rows = readFileSync(join(dir, 'steps.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { episode: number });
    expect(new Set(rows.map((r) => r.episode))).toEqual(new Set([1, 2]));
  });

  it('continues a run with --resume-model: episode numbers, seeds and the episode count go on', async () => {
    const first = join(tmp, 'sarsa', 'models/sarsa_general_final.json');
    const dir = join(tmp, 'resumed');
    expect(
      await run('train-sarsa', '--mode', 'general', '--episodes', '2', '--eval-episodes', '0', '--resume-model', first, '--out', dir),
    ).toBe(0);
    expect(readTrainingRun(dir).training.map((e) => e.episode)).toEqual([5, 6]);
    expect(JSON.parse(readFileSync(join(dir, 'models/sarsa_general_final.json'), 'utf8')).episodes_trained).toBe(6);
  });

  it('resuming 2 + 2 episodes gives the same table as 4 at once', async () => {
    const config = { ...loadConfig(SHIPPED_CONFIG), seed: 5 };
    const once = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: 4,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'once'),
      progress: 'quiet',
    });
    const half = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: 2,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'half'),
      progress: 'quiet',
    });
    const rest = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL, half.model),
      episodes: 2,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'rest'),
      progress: 'quiet',
    });
    const table = (f: string) => JSON.parse(readFileSync(f, 'utf8')).q_table;
    expect(table(rest.model)).toEqual(table(once.model));
  });

  it('stops after the current episode when aborted and saves the interrupt model', async () => {
    const config = loadConfig(SHIPPED_CONFIG);
    const controller = new AbortController();
    const r = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: 10,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'interrupt'),
      progress: 'quiet',
      signal: controller.signal,
      onEpisode: (row) => row.episode === 2 && controller.abort(),
    });
    expect(r.interrupted).toBe(true);
    expect(r.episodesCompleted).toBe(2);
    expect(r.model).toMatch(/sarsa_general_interrupt\.json$/);
  });

  it('trains a general DQN with a tiny budget and the model loads as a policy', async () => {
    const dir = join(tmp, 'dqn');
    expect(
      await run(
        'train-dqn',
        '--mode',
        'general',
        '--episodes',
        '2',
        '--eval-episodes',
        '1',
        '--checkpoint-every',
        '0',
        '--warmup-steps',
        '10',
        '--batch-size',
        '8',
        '--hidden-layers',
        '8',
        '--out',
        dir,
      ),
    ).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'models/dqn_general_final/metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ episodes_trained: 2, hidden_layers: [8], general: { miss_price: 100 } });
    const { loadGeneralDqnPolicy } = await import('@autofarm/agents/dqn');
    const policy = await loadGeneralDqnPolicy(join(dir, 'models/dqn_general_final'));
    expect(policy.name).toBe('DQN (general)');
    policy.dispose();
  }, 60_000);

  it('runs --seeds 2 as two runs and writes the per-seed table with the worst seed', async () => {
    const dir = join(tmp, 'seeds');
    expect(
      await run(
        'train-sarsa',
        '--mode',
        'general',
        '--episodes',
        '2',
        '--seeds',
        '2',
        '--eval-episodes',
        '1',
        '--max-steps',
        '8',
        '--out',
        dir,
      ),
    ).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'seeds.json'), 'utf8'));
    expect(s.seeds).toEqual([42, 100042]);
    expect(s.rows).toHaveLength(2);
    expect(readFileSync(join(dir, 'seeds.md'), 'utf8')).toMatch(/worst training seed: (42|100042)/);
  }, 60_000);

  it.each([
    [['train-sarsa', '--mode', 'original', '--seeds', '2'], /--seeds: expected --mode general/],
    [['train-dqn', '--mode', 'original', '--resume-model', import.meta.filename], /--resume-model: expected --mode general/],
    [['train-sarsa', '--mode', 'general', '--seeds', '1'], /--seeds: expected an integer >= 2, found "1"/],
    [['train-sarsa', '--mode', 'sideways'], /--mode/],
  ])('exits 2 naming the flag for %j', async (args, message) => {
    expect(await run(...args)).toBe(2);
    expect(io.err).toMatch(message);
  });
});
