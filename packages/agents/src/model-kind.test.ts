import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaSpace } from '@autofarm/core';
import { modelKind } from './model-kind.js';
import { SarsaAgent, resolveEdges } from './sarsa.js';
import { saveSarsaModel } from './sarsa-model.js';

const root = new URL('../../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-model-kind-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('modelKind', () => {
  it('tells the shipped general models apart by their format field and metadata block', () => {
    expect(modelKind(join(root, 'models/sarsa.json'))).toBe('general-sarsa');
    expect(modelKind(join(root, 'models/dqn'))).toBe('general-dqn');
  });

  it('knows an original SARSA file and an original DQN directory, and answers null for anything else', () => {
    const file = join(tmp, 'sarsa.json');
    const hp = {
      alpha: 0.1,
      gamma: 0.9,
      epsilon: 0,
      epsilon_min: 0,
      epsilon_decay: 1,
      lambda: 0,
      trace: 'replacing',
      trace_threshold: 0,
      reward_offset: 0,
    } as const;
    saveSarsaModel(file, new SarsaAgent(resolveEdges({}), new DeltaSpace(1), hp), { seed: 1, configHash: 'x', episodesTrained: 0 });
    expect(modelKind(file)).toBe('sarsa');
    mkdirSync(join(tmp, 'dqn'));
    writeFileSync(join(tmp, 'dqn/metadata.json'), JSON.stringify({ format: 'autofarm-dqn' }));
    expect(modelKind(join(tmp, 'dqn'))).toBe('dqn');
    writeFileSync(join(tmp, 'other.json'), '{"format": "something"}');
    expect(modelKind(join(tmp, 'other.json'))).toBeNull();
    expect(modelKind(join(tmp, 'missing.json'))).toBeNull();
  });
});
