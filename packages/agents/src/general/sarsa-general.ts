/**
 * General SARSA: the tabular SARSA(λ) of sarsa.ts over the load features (features.ts) with the
 * reserve actions (actions.ts), and its model file.
 *
 * Bins (FEATURE_NAMES order): load, trend, queue, qos, burst and ahead; latency, headroom, spread
 * and recur get one bin each (latency duplicates queue for the table; a headroom bin made rare
 * states whose values stayed noise; spread and recur shape only the DQN). 4·5·4·3·5·3 = 3 600
 * states.
 *
 * Model file (format "autofarm-general-sarsa", version 2): plain JSON with the features, edges,
 * reserves, sizing assumptions, cadence and miss price it was trained with, and the Q-table rows
 * by state key. Why these bins: docs/general-training.md.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModelFileError, type Config } from '@autofarm/core';
import { SarsaAgent, type Edges, type SarsaHyperParams } from '../sarsa.js';
import { modelActions, reserveActions, type ModelActionFields, type ReserveActions } from './actions.js';
import { FEATURE_NAMES } from './features.js';
import { GeneralPolicy } from './policy.js';
import { reserveSpace } from './training-env.js';

export const GENERAL_SARSA_EDGES: Edges = [
  [0.3, 0.5, 0.7],
  [-0.1, -0.03, 0.03, 0.1],
  [0.1, 0.5, 2],
  [0.9, 0.99],
  [],
  [],
  [0.5, 1.5, 3, 8],
  [0.05, 0.25],
  [],
  [],
];

export const GENERAL_SARSA_FORMAT = 'autofarm-general-sarsa';

/** config.sarsa with config.general.sarsa over it (no reward offset: the cost reward has no healthy per-step income). */
export function generalSarsaHyperParams(config: Config): SarsaHyperParams {
  const g = config.general.sarsa;
  const { trace, trace_threshold } = config.sarsa;
  return {
    alpha: g.alpha,
    gamma: g.gamma,
    epsilon: g.epsilon,
    epsilon_min: g.epsilon_min,
    epsilon_decay: g.epsilon_decay,
    lambda: g.lambda,
    trace,
    trace_threshold,
    reward_offset: 0,
  };
}

export function createGeneralSarsaAgent(config: Config): SarsaAgent {
  return new SarsaAgent(GENERAL_SARSA_EDGES, reserveSpace(reserveActions(config)), generalSarsaHyperParams(config));
}

/** The model file; its action fields (reserves, scale-down limit, sizing, cadence) are actions.ts's ModelActionFields. */
export interface GeneralSarsaFile extends ModelActionFields {
  format: typeof GENERAL_SARSA_FORMAT;
  format_version: 2;
  created: string;
  seed: number;
  config_hash: string;
  episodes_trained: number;
  features: string[];
  edges: number[][];
  miss_price: number;
  hyperparams: SarsaHyperParams;
  epsilon: number;
  q_table: Record<string, number[]>;
}

export interface GeneralSarsaMeta {
  seed: number;
  configHash: string;
  episodesTrained: number;
  missPrice: number;
  actions: ReserveActions;
  cadence: number;
}

export function toGeneralSarsaFile(agent: SarsaAgent, meta: GeneralSarsaMeta, created = new Date()): GeneralSarsaFile {
  const q: Record<string, number[]> = {};
  for (const [state, row] of agent.q) q[state] = Array.from(row);
  return {
    format: GENERAL_SARSA_FORMAT,
    format_version: 2,
    created: created.toISOString(),
    seed: meta.seed,
    config_hash: meta.configHash,
    episodes_trained: meta.episodesTrained,
    features: [...FEATURE_NAMES],
    edges: agent.edges.map((e) => [...e]),
    action_reserves: [...meta.actions.reserves],
    scale_down_limit: meta.actions.scaleDownLimit,
    sizing: { service_shape: meta.actions.sizing.serviceShape, deadline_coefficient: meta.actions.sizing.deadlineCoefficient },
    cadence: meta.cadence,
    miss_price: meta.missPrice,
    hyperparams: { ...agent.hp },
    epsilon: agent.epsilon,
    q_table: q,
  };
}

export function saveGeneralSarsaModel(file: string, agent: SarsaAgent, meta: GeneralSarsaMeta, created?: Date): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(toGeneralSarsaFile(agent, meta, created))}\n`);
  renameSync(tmp, file);
}

export function loadGeneralSarsa(file: string): { agent: SarsaAgent; actions: ReserveActions; file: GeneralSarsaFile } {
  let m: GeneralSarsaFile;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as GeneralSarsaFile;
  } catch (cause) {
    throw new ModelFileError(`general SARSA model ${file}: cannot read it as JSON`, { cause });
  }
  if (m.format !== GENERAL_SARSA_FORMAT || m.format_version !== 2)
    throw new ModelFileError(
      `${file}: not a general SARSA model (format ${JSON.stringify(m.format)} version ${JSON.stringify(m.format_version)})`,
    );
  if (m.features?.join(',') !== FEATURE_NAMES.join(','))
    throw new ModelFileError(`${file}: features [${String(m.features)}] differ from this build's [${FEATURE_NAMES.join(', ')}]`);
  if (!Array.isArray(m.edges) || m.edges.length !== FEATURE_NAMES.length)
    throw new ModelFileError(`${file}: edges must be ${FEATURE_NAMES.length} lists`);
  const { actions } = modelActions(m, file);
  const agent = new SarsaAgent(m.edges, reserveSpace(actions), m.hyperparams);
  for (const [state, row] of Object.entries(m.q_table)) {
    if (!Array.isArray(row) || row.length !== actions.n)
      throw new ModelFileError(`${file}: q_table row "${state}" must hold ${actions.n} numbers`);
    agent.q.set(state, Float64Array.from(row));
  }
  agent.epsilon = m.epsilon;
  return { agent, actions, file: m };
}

/** The greedy general policy of an agent (training's checkpoints) or a model file. */
export function generalSarsaPolicy(agent: SarsaAgent, actions: ReserveActions, cadence: number, name = 'SARSA (general)'): GeneralPolicy {
  return new GeneralPolicy(name, (f) => agent.greedy(agent.stateOf(f)), actions, cadence);
}

export function loadGeneralSarsaPolicy(file: string, name?: string): GeneralPolicy {
  const { agent, actions, file: m } = loadGeneralSarsa(file);
  return generalSarsaPolicy(agent, actions, m.cadence, name);
}
