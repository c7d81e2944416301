import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { readTrainingRun } from '@autofarm/runs';
import { SHIPPED_CONFIG } from '../testing/index.js';
import { runTraining } from './harness.js';
import { GENERAL, ORIGINAL } from './setting.js';
import { sarsaTrainer } from './sarsa-trainer.js';

const tmp = mkdtempSync(join(tmpdir(), 'autofarm-harness-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const config = { ...loadConfig(SHIPPED_CONFIG), seed: 11 };

describe('runTraining (the training harness)', () => {
  it('logs the step rows of a general run: its features, not the nine-number observation it does not have', async () => {
    const out = join(tmp, 'general-steps');
    await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: 2,
      evalEpisodes: 0,
      checkpointEvery: 0,
      stepLogEvery: 1,
      out,
      progress: 'quiet',
    });
    const log = readFileSync(join(out, 'logs/training.log'), 'utf8');
    expect(log).toMatch(/ load +trend +queue +qos +latency +headroom +burst +ahead +spread +recur/);
    const steps = readFileSync(join(out, 'steps.jsonl'), 'utf8').trim().split('\n');
    const first = JSON.parse(steps[0] as string) as { episode: number; features: number[] };
    expect(first.episode).toBe(1);
    expect(first.features).toHaveLength(10);
  });

  it('reports a general episode at its cost (worker-seconds at the miss price), an original one without', async () => {
    const general = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: 1,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'general-cost'),
      progress: 'quiet',
    });
    const row = readTrainingRun(general.dir).training[0];
    // cost ≥ worker-seconds ≥ min_workers × the episode's length
    expect(row?.cost).toBeGreaterThan(0);
    const original = await runTraining({
      config,
      trainer: sarsaTrainer(config, ORIGINAL),
      episodes: 1,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'original-cost'),
      progress: 'quiet',
    });
    expect(readTrainingRun(original.dir).training[0]).not.toHaveProperty('cost');
  });
});
