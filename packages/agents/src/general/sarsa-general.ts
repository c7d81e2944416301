/**
 * General SARSA: the tabular SARSA(λ) of sarsa.ts over the load features (features.ts) with the
 * target-utilisation action set (actions.ts), and its model file.
 *
 * Bins (FEATURE_NAMES order): the action already sizes the farm for the load, so what the table
 * must tell apart is how risky the arrivals are: trend (climbing or falling), burst (how much
 * the rate swings within the sizing window), and queue and qos (an overload the sizing missed).
 * `load` is left out: it depends on the agent's own last action, and with it in the state the
 * greedy agent alternated lean and safe targets; validation over 3 training seeds: 94.46 ± 0.52 %
 * QoS at 10 038 worker-seconds without it, 93.63 ± 0.75 % at 9 776 with a 10-bin load grid.
 * latency and headroom are left out too (latency duplicates queue for the table; a headroom bin
 * made rare states whose values stayed noise). 5·4·3·5 = 300 states.
 *
 * Model file (format "autofarm-general-sarsa", version 1): plain JSON with the features, edges,
 * action targets and miss price it was trained with, and the Q-table rows by state key.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeltaSpace, ModelFileError, type Config } from '@autofarm/core';
import { SarsaAgent, type Edges, type SarsaHyperParams } from '../sarsa.js';
import { TargetActions } from './actions.js';
import { FEATURE_NAMES } from './features.js';
import { GeneralPolicy } from './policy.js';
import { indexSpace } from './training-env.js';

export const GENERAL_SARSA_EDGES: Edges = [[], [-0.1, -0.03, 0.03, 0.1], [0.1, 0.5, 2], [0.9, 0.99], [], [], [0.15, 0.3, 0.6, 1]];

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
  return new SarsaAgent(
    GENERAL_SARSA_EDGES,
    indexSpace(new TargetActions(config.general.action_targets, config.general.scale_down_limit)),
    generalSarsaHyperParams(config),
  );
}

export interface GeneralSarsaFile {
  format: typeof GENERAL_SARSA_FORMAT;
  format_version: 1;
  created: string;
  seed: number;
  config_hash: string;
  episodes_trained: number;
  features: string[];
  edges: number[][];
  action_targets: number[];
  /** Largest share of the workers one decision removes (actions.ts). */
  scale_down_limit: number;
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
  actionTargets: readonly number[];
  scaleDownLimit: number;
}

export function toGeneralSarsaFile(agent: SarsaAgent, meta: GeneralSarsaMeta, created = new Date()): GeneralSarsaFile {
  const q: Record<string, number[]> = {};
  for (const [state, row] of agent.q) q[state] = Array.from(row);
  return {
    format: GENERAL_SARSA_FORMAT,
    format_version: 1,
    created: created.toISOString(),
    seed: meta.seed,
    config_hash: meta.configHash,
    episodes_trained: meta.episodesTrained,
    features: [...FEATURE_NAMES],
    edges: agent.edges.map((e) => [...e]),
    action_targets: [...meta.actionTargets],
    scale_down_limit: meta.scaleDownLimit,
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

/** True if `file` is a general SARSA model (cheap check on the format field). */
export function isGeneralSarsaFile(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown }).format === GENERAL_SARSA_FORMAT;
  } catch {
    return false;
  }
}

export function loadGeneralSarsa(file: string): { agent: SarsaAgent; actions: TargetActions; file: GeneralSarsaFile } {
  let m: GeneralSarsaFile;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as GeneralSarsaFile;
  } catch (cause) {
    throw new ModelFileError(`general SARSA model ${file}: cannot read it as JSON`, { cause });
  }
  if (m.format !== GENERAL_SARSA_FORMAT || m.format_version !== 1)
    throw new ModelFileError(
      `${file}: not a general SARSA model (format ${JSON.stringify(m.format)} version ${JSON.stringify(m.format_version)})`,
    );
  if (m.features?.join(',') !== FEATURE_NAMES.join(','))
    throw new ModelFileError(`${file}: features [${String(m.features)}] differ from this build's [${FEATURE_NAMES.join(', ')}]`);
  if (!Array.isArray(m.edges) || m.edges.length !== FEATURE_NAMES.length)
    throw new ModelFileError(`${file}: edges must be ${FEATURE_NAMES.length} lists`);
  const actions = new TargetActions(m.action_targets, m.scale_down_limit);
  const agent = new SarsaAgent(m.edges, indexSpace(actions) as DeltaSpace, m.hyperparams);
  for (const [state, row] of Object.entries(m.q_table)) {
    if (!Array.isArray(row) || row.length !== actions.n)
      throw new ModelFileError(`${file}: q_table row "${state}" must hold ${actions.n} numbers`);
    agent.q.set(state, Float64Array.from(row));
  }
  agent.epsilon = m.epsilon;
  return { agent, actions, file: m };
}

/** The greedy general policy of an agent (training's checkpoints) or a model file. */
export function generalSarsaPolicy(agent: SarsaAgent, actions: TargetActions, name = 'SARSA (general)'): GeneralPolicy {
  return new GeneralPolicy(name, (f) => agent.greedy(agent.stateOf(f)), actions);
}

export function loadGeneralSarsaPolicy(file: string, name?: string): GeneralPolicy {
  const { agent, actions } = loadGeneralSarsa(file);
  return generalSarsaPolicy(agent, actions, name);
}
