import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configHash, loadConfig } from '@autofarm/core';
import { FEATURE_NAMES } from '@autofarm/agents';
import { runTraining } from './harness.js';
import { GENERAL } from './setting.js';
import { dqnTrainer } from './dqn-trainer.js';
import { sarsaTrainer } from './sarsa-trainer.js';

const root = new URL('../../../../', import.meta.url).pathname;
const config = loadConfig(join(root, 'configuration.yml'));
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-shipped-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shipped models (models/)', () => {
  it('models/sarsa.json is what the default `pnpm train-sarsa` trains: same Q-table, bit for bit', async () => {
    const shipped = JSON.parse(readFileSync(join(root, 'models/sarsa.json'), 'utf8'));
    expect(shipped).toMatchObject({
      format: 'autofarm-general-sarsa',
      seed: config.seed,
      episodes_trained: config.general.sarsa.episodes,
      config_hash: configHash(config),
    });
    const r = await runTraining({
      config,
      trainer: sarsaTrainer(config, GENERAL),
      episodes: config.general.sarsa.episodes,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'sarsa'),
      progress: 'quiet',
    });
    expect(JSON.parse(readFileSync(r.model, 'utf8')).q_table).toEqual(shipped.q_table);
  }, 120_000);

  it('models/dqn/ was trained by the default `pnpm train-dqn` on this configuration and gives its pinned greedy actions', async () => {
    const meta = JSON.parse(readFileSync(join(root, 'models/dqn/metadata.json'), 'utf8'));
    expect(meta).toMatchObject({
      seed: config.seed,
      episodes_trained: config.general.dqn.episodes,
      config_hash: configHash(config),
      general: {
        features: [...FEATURE_NAMES],
        action_reserves: config.general.action_reserves,
        cadence: config.general.cadence,
        miss_price: config.general.miss_price,
      },
    });
    const { loadDqnModel, argmax, initTf } = await import('@autofarm/agents/dqn');
    await initTf('auto');
    const { q, normalizer } = await loadDqnModel(join(root, 'models/dqn'));
    // fixed feature vectors: [load, trend, queue, qos, latency, headroom, burst, ahead, spread, recur]
    const inputs = [
      [0.2, 0, 0, 1, 1, 0.7, 0.1, 0, 0, 0],
      [0.6, 0, 0, 1, 1, 0.5, 0.3, 0, 0, 0],
      [0.9, 0.2, 1, 0.9, 2, 0.4, 0.8, 0, 0, 0],
      [1.5, 0.5, 5, 0.3, 6, 0.2, 1.5, 0, 0, 0],
      [0.4, -0.2, 0, 1, 1, 0.1, 0.2, 0, 0, 0],
      [0.3, 0, 0, 1, 1, 0.6, 1, 0.5, 0.05, 0.9],
      [0.5, 0, 0, 1, 1, 0.4, 1, 0, 0.3, 0.6],
    ];
    const actions = inputs.map((f) => argmax(q.predict(normalizer.normalize(f), 1), 0, meta.action_space.n, 'last'));
    q.dispose();
    expect(actions).toEqual(JSON.parse(readFileSync(join(root, 'models/greedy-actions.json'), 'utf8')).dqn);
  });

  // common random numbers fork the farm 7 times a decision: ~75 s with a benchmark beside it, ~140 s on a busier machine
  it('models/dqn/ is what the default `pnpm train-dqn` trains: same weights.bin', async () => {
    const r = await runTraining({
      config,
      trainer: await dqnTrainer(config, GENERAL),
      episodes: config.general.dqn.episodes,
      evalEpisodes: 0,
      checkpointEvery: 0,
      out: join(tmp, 'dqn'),
      progress: 'quiet',
    });
    expect(readFileSync(join(r.model, 'weights.bin')).equals(readFileSync(join(root, 'models/dqn/weights.bin')))).toBe(true);
  }, 600_000);
});
