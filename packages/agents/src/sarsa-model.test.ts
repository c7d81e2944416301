import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaSpace, ModelFileError, parseConfig, type Config } from '@autofarm/core';
import { hyperParamsOf, resolveEdges, SarsaAgent } from './sarsa.js';
import { loadSarsaAgent, loadSarsaPolicy, readSarsaModel, saveSarsaModel, toModelFile } from './sarsa-model.js';

const dir = mkdtempSync(join(tmpdir(), 'sarsa-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PHASES = [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }];
const config = (extra: Record<string, unknown> = {}): Config => parseConfig({ workload: { phases: PHASES }, ...extra });

function trainedAgent(cfg: Config): SarsaAgent {
  const agent = new SarsaAgent(resolveEdges(cfg.sarsa.bins), new DeltaSpace(cfg.scaling.max_delta), hyperParamsOf(cfg.sarsa));
  agent.q.set('3,0,0,0,3,2,0,0,5', Float64Array.from([-1.25, 0.5, 0.1 + 0.2]));
  agent.q.set('2,3,0,0,3,2,0,4,3', Float64Array.from([0, 0, 7]));
  agent.epsilon = 0.2424;
  return agent;
}

const META = { seed: 42, configHash: 'abc', episodesTrained: 100 };

describe('SARSA model files', () => {
  it('round-trips the Q-table, edges, hyper-parameters and epsilon exactly', () => {
    const cfg = config();
    const agent = trainedAgent(cfg);
    const file = join(dir, 'models', 'sarsa_final.json');
    saveSarsaModel(file, agent, META);
    const back = loadSarsaAgent(file, cfg);
    expect([...back.q].map(([s, r]) => [s, Array.from(r)])).toEqual([...agent.q].map(([s, r]) => [s, Array.from(r)]));
    expect(back.edges).toEqual(agent.edges);
    expect(back.hp).toEqual(agent.hp);
    expect(back.epsilon).toBe(0.2424);
    const raw = readSarsaModel(file);
    expect(raw.format_version).toBe(1);
    expect(raw.seed).toBe(42);
    expect(raw.config_hash).toBe('abc');
    expect(raw.action_space).toEqual({ max_delta: 1, n: 3 });
  });

  it('loads a greedy policy that acts on the stored table', () => {
    const cfg = config();
    const file = join(dir, 'policy.json');
    saveSarsaModel(file, trainedAgent(cfg), META);
    const policy = loadSarsaPolicy(file, cfg);
    expect(policy.act([2, 9, 0, 192, 12, 1.84, 3.33, 9.79, 0.9118], {} as never)).toBe(1);
    expect(policy.act([3, 0, 0, 0, 12, 1.5, 1.5, 0, 1], {} as never)).toBe(0);
  });

  it('keeps custom edges: a model trained with config.sarsa.bins evaluates with them', () => {
    const cfg = config({ sarsa: { bins: { workers: [10.5, 13.5] } } });
    const file = join(dir, 'custom.json');
    saveSarsaModel(file, trainedAgent(cfg), META);
    expect(loadSarsaAgent(file, cfg).edges[4]).toEqual([10.5, 13.5]);
  });

  it('rejects a model trained with other bins, naming the component', () => {
    const file = join(dir, 'bins.json');
    saveSarsaModel(file, trainedAgent(config({ sarsa: { bins: { workers: [10.5, 13.5] } } })), META);
    expect(() => loadSarsaAgent(file, config())).toThrow(ModelFileError);
    expect(() => loadSarsaAgent(file, config())).toThrow(/bins\.json.*\n.*bins of workers/);
  });

  it('rejects a model with another action space', () => {
    const file = join(dir, 'space.json');
    saveSarsaModel(file, trainedAgent(config()), META);
    expect(() => loadSarsaAgent(file, config({ scaling: { max_delta: 2 } }))).toThrow(/max_delta 1 .*max_delta 2/);
  });

  it('rejects missing, corrupt, foreign and damaged files with a ModelFileError naming the file', () => {
    const cfg = config();
    const missing = join(dir, 'nope.json');
    expect(() => loadSarsaAgent(missing, cfg)).toThrow(new RegExp(`${missing}.*cannot read`));
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "autofarm-sar');
    expect(() => loadSarsaAgent(corrupt, cfg)).toThrow(/corrupt\.json: not valid JSON/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ hello: 1 }));
    expect(() => loadSarsaAgent(foreign, cfg)).toThrow(/not a SARSA model/);
    const good = toModelFile(trainedAgent(cfg), META);
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, JSON.stringify({ ...good, q_table: { '1,2': [1, 2, 3] } }));
    expect(() => loadSarsaAgent(damaged, cfg)).toThrow(/"1,2" is not 9 bin indices/);
    writeFileSync(damaged, JSON.stringify({ ...good, q_table: { '0,0,0,0,0,0,0,0,0': [1, 2] } }));
    expect(() => loadSarsaAgent(damaged, cfg)).toThrow(/must hold 3 finite numbers/);
    writeFileSync(damaged, JSON.stringify({ ...good, format_version: 9 }));
    expect(() => loadSarsaAgent(damaged, cfg)).toThrow(/format version 9/);
  });

  it('writes the same bytes (apart from the creation time) for the same agent', () => {
    const cfg = config();
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    saveSarsaModel(a, trainedAgent(cfg), META);
    saveSarsaModel(b, trainedAgent(cfg), META);
    const strip = (f: string) => readFileSync(f, 'utf8').replace(/"created":"[^"]*"/, '');
    expect(strip(a)).toBe(strip(b));
  });
});
