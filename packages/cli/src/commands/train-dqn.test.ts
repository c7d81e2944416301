import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { readTrainingRun } from '@autofarm/runs';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';
import { trainDqnRun } from './train-dqn.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-train-dqn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A tiny budget: 3 short episodes, a small network, learning from the 20th transition on. */
const tiny = [
  '--episodes',
  '3',
  '--max-steps',
  '12',
  '--eval-episodes',
  '2',
  '--checkpoint-every',
  '2',
  '--warmup-steps',
  '20',
  '--batch-size',
  '8',
  '--hidden-layers',
  '16',
  '8',
];

describe('autofarm train-dqn', () => {
  const io = captureOutput();

  it('trains with a tiny budget and writes model, metrics, logs and plots', async () => {
    const dir = join(tmp, 'run');
    const code = await main([
      'node',
      'autofarm',
      'train-dqn',
      '--config',
      shipped,
      '--mode',
      'original',
      ...tiny,
      '--seed',
      '5',
      '--arrival-process',
      'controlled',
      '--out',
      dir,
    ]);
    expect(io.err).toMatch(/TensorFlow\.js backend (wasm|cpu|tensorflow)/);
    expect(code).toBe(0);
    expect(io.out).toContain('trained 3 episodes');
    for (const f of ['model.json', 'weights.bin', 'normalization.json', 'metadata.json']) {
      expect(existsSync(join(dir, 'models/dqn_final', f))).toBe(true);
      expect(existsSync(join(dir, 'models/dqn_ep0002', f))).toBe(true);
    }
    for (const f of [
      'training_metrics.json',
      'evaluation_metrics.json',
      'plots/training_curves.png',
      'logs/training.log',
      'steps.jsonl',
      'run.json',
      'config.resolved.json',
      'training_summary.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    // The files parse with the shared reader that plot-training uses.
    const run = readTrainingRun(dir);
    expect(run.training.map((e) => e.episode)).toEqual([1, 2, 3]);
    expect(run.training.every((e) => e.steps >= 1 && e.steps <= 12 && typeof e.mean_loss === 'number')).toBe(true);
    expect(run.training[2]?.mean_loss).toBeGreaterThan(0);
    // Checkpoint at 2, final at 3, each on 2 held-out seeds.
    expect(run.evaluation?.map((c) => [c.episode, c.eval_episodes])).toEqual([
      [2, 2],
      [3, 2],
    ]);
    const log = readFileSync(join(dir, 'logs/training.log'), 'utf8');
    expect(log).toMatch(/Episode 3\/3 \| steps=\d+ reward=-?[\d.]+ mean_qos=[\d.]+ final_qos=[\d.]+ tasks=\d+ loss=[\d.]+ epsilon=[\d.]+/);
    expect(log).toMatch(/\[EVAL\] Episode 2 \| total_reward=/);
    const meta = JSON.parse(readFileSync(join(dir, 'models/dqn_final/metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ seed: 5, hidden_layers: [16, 8], episodes_trained: 3 });
  }, 120_000);

  it('gives identical first 100 actions and losses (and metrics) for the same seed on the same backend', async () => {
    const config = loadConfig(shipped, [
      { path: 'dqn.hidden_layers', value: [32, 16] },
      { path: 'dqn.warmup_steps', value: 10 },
      { path: 'dqn.batch_size', value: 16 },
    ]);
    const run = (out: string, seed = 42) =>
      trainDqnRun({
        config: { ...config, seed },
        episodes: 5,
        evalEpisodes: 0,
        checkpointEvery: 0,
        out: join(tmp, io.out),
        progress: 'quiet',
      });
    const steps = (d: string) =>
      readFileSync(join(d, 'steps.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: number; loss: number | null });
    const a = steps((await run('same-a')).dir);
    const b = steps((await run('same-b')).dir);
    const losses = (xs: typeof a) => xs.map((x) => x.loss).filter((l) => l !== null);
    expect(a.length).toBeGreaterThanOrEqual(110);
    expect(losses(a).length).toBeGreaterThanOrEqual(100);
    expect(b.slice(0, 100).map((x) => x.action)).toEqual(a.slice(0, 100).map((x) => x.action));
    expect(losses(b).slice(0, 100)).toEqual(losses(a).slice(0, 100));
    expect(b).toEqual(a);
    const other = steps((await run('other', 43)).dir);
    expect(other.slice(0, 100).map((x) => x.action)).not.toEqual(a.slice(0, 100).map((x) => x.action));
  }, 120_000);

  it('stops after the current episode when aborted and saves dqn_interrupt', async () => {
    const config = loadConfig(shipped, [
      { path: 'episode.max_steps', value: 6 },
      { path: 'dqn.hidden_layers', value: [8] },
    ]);
    const controller = new AbortController();
    const r = await trainDqnRun({
      config,
      episodes: 10,
      evalEpisodes: 1,
      checkpointEvery: 0,
      out: join(tmp, 'interrupt'),
      progress: 'quiet',
      signal: controller.signal,
      onEpisode: (row) => row.episode === 2 && controller.abort(),
    });
    expect(r.interrupted).toBe(true);
    expect(r.episodesCompleted).toBe(2);
    expect(r.modelDir).toMatch(/dqn_interrupt$/);
    expect(existsSync(join(r.modelDir, 'model.json'))).toBe(true);
    expect(readTrainingRun(r.dir).training).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(r.dir, 'training_summary.json'), 'utf8'))).toMatchObject({
      episodes_completed: 2,
      interrupted: true,
    });
  }, 60_000);

  it('exits 2 naming the flag for an invalid hyper-parameter', async () => {
    const code = await main(['node', 'autofarm', 'train-dqn', '--config', shipped, '--mode', 'original', '--target-tau', '1.5']);
    expect(code).toBe(2);
    expect(io.err).toContain('--target-tau');
  });
});
