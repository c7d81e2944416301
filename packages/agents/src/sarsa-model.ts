/**
 * SARSA model files: plain JSON (never code, unlike the original's pickles, reference §16 item 27), written
 * atomically, checked field by field on load. A file that is unreadable, corrupt, of another
 * format version, or trained with other bins or another action space is a ModelFileError that
 * names the file and the mismatch (the CLI turns it into exit code 2).
 *
 * Layout (format_version 1):
 *   { format: "autofarm-sarsa", format_version, created, seed, config_hash, episodes_trained,
 *     action_space: { max_delta, n }, discretisation: { names, edges }, hyperparams, epsilon,
 *     q_table: { "<bin indices joined by commas>": [Q(s, -max_delta) .. Q(s, +max_delta)] } }
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeltaSpace, ModelFileError, OBSERVATION_NAMES, type Config, type Policy } from '@autofarm/core';
import { resolveEdges, SarsaAgent, sarsaPolicy, type Edges, type SarsaHyperParams } from './sarsa.js';

export const SARSA_FORMAT = 'autofarm-sarsa';
export const SARSA_FORMAT_VERSION = 1;

/** Provenance stored beside the table. */
export interface SarsaModelMeta {
  seed: number;
  configHash: string;
  episodesTrained: number;
}

export interface SarsaModelFile {
  format: typeof SARSA_FORMAT;
  format_version: number;
  created: string;
  seed: number;
  config_hash: string;
  episodes_trained: number;
  action_space: { max_delta: number; n: number };
  discretisation: { names: string[]; edges: number[][] };
  hyperparams: SarsaHyperParams;
  epsilon: number;
  q_table: Record<string, number[]>;
}

/** The JSON object of an agent (rows in insertion order, so equal training gives equal files). */
export function toModelFile(agent: SarsaAgent, meta: SarsaModelMeta, created = new Date()): SarsaModelFile {
  const q: Record<string, number[]> = {};
  for (const [state, row] of agent.q) q[state] = Array.from(row);
  return {
    format: SARSA_FORMAT,
    format_version: SARSA_FORMAT_VERSION,
    created: created.toISOString(),
    seed: meta.seed,
    config_hash: meta.configHash,
    episodes_trained: meta.episodesTrained,
    action_space: { max_delta: (agent.actions as DeltaSpace).maxDelta, n: agent.actions.n },
    discretisation: { names: [...OBSERVATION_NAMES], edges: agent.edges.map((e) => [...e]) },
    hyperparams: { ...agent.hp },
    epsilon: agent.epsilon,
    q_table: q,
  };
}

/** Write the model as JSON via a temporary file and a rename, so a crash never leaves half a file. */
export function saveSarsaModel(file: string, agent: SarsaAgent, meta: SarsaModelMeta): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(toModelFile(agent, meta))}\n`);
  renameSync(tmp, file);
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumberArray = (x: unknown): x is number[] => Array.isArray(x) && x.every(isNumber);

/** Read and check a model file's structure (not yet against a configuration). */
export function readSarsaModel(file: string): SarsaModelFile {
  const fail = (what: string, cause?: unknown): never => {
    throw new ModelFileError(`SARSA model ${file}: ${what}`, { cause });
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    fail(`cannot read it (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    fail('not valid JSON (corrupt or not a SARSA model)', cause);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('expected a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== SARSA_FORMAT) fail(`not a SARSA model (format is ${JSON.stringify(m.format)}, expected "${SARSA_FORMAT}")`);
  if (m.format_version !== SARSA_FORMAT_VERSION)
    fail(`format version ${JSON.stringify(m.format_version)} is not supported (this build reads ${SARSA_FORMAT_VERSION})`);
  const space = m.action_space as Record<string, unknown> | undefined;
  if (!space || !Number.isInteger(space.max_delta) || (space.max_delta as number) < 1 || space.n !== 2 * (space.max_delta as number) + 1) {
    fail('action_space must be { max_delta >= 1, n = 2·max_delta + 1 }');
  }
  const disc = m.discretisation as Record<string, unknown> | undefined;
  const names = disc?.names;
  const edges = disc?.edges;
  if (!Array.isArray(names) || names.join(',') !== OBSERVATION_NAMES.join(','))
    fail(`discretisation.names must be ${OBSERVATION_NAMES.join(', ')}`);
  if (!Array.isArray(edges) || edges.length !== OBSERVATION_NAMES.length || !edges.every(isNumberArray))
    fail('discretisation.edges must be 9 lists of numbers');
  const n = space?.n as number;
  const table = m.q_table;
  if (table === null || typeof table !== 'object' || Array.isArray(table)) return fail('q_table must be an object');
  for (const [state, row] of Object.entries(table as Record<string, unknown>)) {
    const idx = state.split(',');
    if (idx.length !== OBSERVATION_NAMES.length || !idx.every((s) => /^\d+$/.test(s))) fail(`q_table key "${state}" is not 9 bin indices`);
    if (!isNumberArray(row) || row.length !== n) fail(`q_table row "${state}" must hold ${n} finite numbers`);
  }
  const hp = m.hyperparams as Record<string, unknown> | undefined;
  for (const key of ['alpha', 'gamma', 'epsilon', 'epsilon_min', 'epsilon_decay', 'lambda', 'trace_threshold']) {
    if (!hp || !isNumber(hp[key])) fail(`hyperparams.${key} must be a number`);
  }
  if (hp && hp.reward_offset !== undefined && !isNumber(hp.reward_offset)) fail('hyperparams.reward_offset must be a number');
  if (hp?.trace !== 'accumulating' && hp?.trace !== 'replacing') fail('hyperparams.trace must be "accumulating" or "replacing"');
  if (!isNumber(m.epsilon)) fail('epsilon must be a number');
  return m as unknown as SarsaModelFile;
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => Math.fround(x) === Math.fround(b[i] as number));
}

/**
 * Rebuild the agent of a model file for this configuration. The model's own edges are used
 * (FIX reference §16 item 25); they must equal the configuration's (config.sarsa.bins over the defaults), and the
 * action space must be the configuration's, else a ModelFileError names the difference.
 */
export function loadSarsaAgent(file: string, config: Config): SarsaAgent {
  const m = readSarsaModel(file);
  const mismatches: string[] = [];
  const maxDelta = config.scaling.max_delta;
  if (m.action_space.max_delta !== maxDelta) {
    mismatches.push(
      `action space: model has max_delta ${m.action_space.max_delta} (${m.action_space.n} ` +
        `actions), configuration has scaling.max_delta ${maxDelta} (${2 * maxDelta + 1} actions)`,
    );
  }
  const wanted: Edges = resolveEdges(config.sarsa.bins);
  OBSERVATION_NAMES.forEach((name, i) => {
    const have = m.discretisation.edges[i] as number[];
    const want = wanted[i] as readonly number[];
    if (!sameEdges(have, want)) mismatches.push(`bins of ${name}: model [${have.join(', ')}], configuration [${want.join(', ')}]`);
  });
  if (mismatches.length > 0) {
    throw new ModelFileError(`SARSA model ${file} does not match the configuration:\n  ${mismatches.join('\n  ')}`);
  }
  const agent = new SarsaAgent(m.discretisation.edges, new DeltaSpace(m.action_space.max_delta), {
    ...m.hyperparams,
    reward_offset: m.hyperparams.reward_offset ?? 0,
  });
  for (const [state, row] of Object.entries(m.q_table)) agent.q.set(state, Float64Array.from(row));
  agent.epsilon = m.epsilon;
  return agent;
}

/** The greedy policy of a saved model (what compare-policies and test-sarsa evaluate). */
export function loadSarsaPolicy(file: string, config: Config, name?: string): Policy {
  return sarsaPolicy(loadSarsaAgent(file, config), name);
}
