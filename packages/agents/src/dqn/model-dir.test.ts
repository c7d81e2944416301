import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaSpace, ModelFileError, createRng, parseConfig, type Config, type PolicyContext } from '@autofarm/core';
import { DqnAgent, dqnHyperParams } from './dqn.js';
import { TfjsQFunction } from './q-function.js';
import { initTf } from './tf-backend.js';
import { loadDqnModel, saveDqnModel } from './model-dir.js';
import { greedyPolicy, loadDqnPolicy } from './policy.js';

let dir: string;
let config: Config;
const ctx = { maxDelta: 1 } as PolicyContext;

beforeAll(async () => {
  await initTf('auto', { quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'autofarm-dqn-model-'));
  config = parseConfig({
    workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] },
    dqn: { hidden_layers: [16, 8] },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trainedAgent(seed: number): DqnAgent {
  const agent = new DqnAgent({
    params: { ...dqnHyperParams(config.dqn), warmupSteps: 8, batchSize: 8 },
    observationSize: 9,
    actionSpace: new DeltaSpace(1),
    seed,
    createQ: (s, seeds) => TfjsQFunction.create(s, seeds),
  });
  const rng = createRng(seed).stream('test');
  for (let i = 0; i < 40; i++) {
    const o = Array.from({ length: 9 }, () => rng.float() * 20);
    const n = Array.from({ length: 9 }, () => rng.float() * 20);
    agent.act(o);
    agent.observe({ observation: o, action: rng.int(-1, 1), reward: rng.float() * 10 - 5, nextObservation: n, terminated: false });
  }
  return agent;
}

async function saved(name: string): Promise<{ path: string; agent: DqnAgent }> {
  const agent = trainedAgent(5);
  const path = join(dir, name);
  await saveDqnModel(path, agent, { configHash: 'abc', tfBackend: 'test' });
  return { path, agent };
}

describe('DQN model directory', () => {
  it('writes the layers model, normalisation and metadata files', async () => {
    const { path, agent } = await saved('files');
    for (const f of ['model.json', 'weights.bin', 'normalization.json', 'metadata.json']) expect(existsSync(join(path, f))).toBe(true);
    const meta = JSON.parse(readFileSync(join(path, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({
      format: 'autofarm-dqn',
      format_version: 1,
      seed: 5,
      config_hash: 'abc',
      action_space: { max_delta: 1, n: 3 },
      hidden_layers: [16, 8],
    });
    const modelJson = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    agent.dispose();
  });

  it('loads back a policy that acts exactly like the trained agent', async () => {
    const { path, agent } = await saved('roundtrip');
    const live = greedyPolicy(agent);
    const loaded = await loadDqnPolicy(path, config);
    const rng = createRng(9).stream('obs');
    for (let i = 0; i < 50; i++) {
      const o = Array.from({ length: 9 }, () => rng.float() * 30);
      expect(loaded.act(o, ctx)).toBe(live.act(o, ctx));
    }
    const { q } = await loadDqnModel(path);
    expect(Array.from(q.getWeights()[0] as Float32Array)).toEqual(Array.from(agent.online.getWeights()[0] as Float32Array));
    q.dispose();
    loaded.dispose();
    agent.dispose();
  });

  it('names the missing or corrupt file in a ModelFileError', async () => {
    const { path, agent } = await saved('corrupt');
    agent.dispose();
    writeFileSync(join(path, 'normalization.json'), '{"kind":"running","mean":[1]}');
    await expect(loadDqnPolicy(path, config)).rejects.toThrow(/normalization\.json/);
    unlinkSync(join(path, 'metadata.json'));
    await expect(loadDqnPolicy(path, config)).rejects.toThrow(ModelFileError);
    await expect(loadDqnPolicy(path, config)).rejects.toThrow(/metadata\.json/);
    await expect(loadDqnPolicy(join(dir, 'nowhere'), config)).rejects.toThrow(/not a DQN model directory/);
  });

  it('refuses a model trained for another action space', async () => {
    const { path, agent } = await saved('delta');
    agent.dispose();
    const wide = parseConfig({ workload: config.workload, scaling: { max_delta: 2 } });
    await expect(loadDqnPolicy(path, wide)).rejects.toThrow(/max_delta 1/);
  });
});
