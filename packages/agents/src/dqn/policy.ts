/**
 * The DQN as a Policy (greedy, no learning), so evaluation and compare-policies treat it like
 * any baseline, and the async constructors that start TensorFlow.js first.
 */
import { DeltaSpace, ModelFileError, type ActionSpace, type Config, type Observation, type Policy } from '@autofarm/core';
import { DqnAgent, argmax, dqnHyperParams, type DqnHyperParams } from './dqn.js';
import { loadGeneralDqnPolicy } from '../general/dqn-general.js';
import { modelKind } from '../model-kind.js';
import { loadDqnModel } from './model-dir.js';
import { RunningNormalizer } from './normalizer.js';
import { TfjsQFunction, type QFunction } from './q-function.js';
import { initTf, type TfBackendName, type TfBackendPreference } from './tf-backend.js';

/**
 * Greedy over the Q-network: the delta with the largest Q-value of the normalised observation
 * (ties to the largest delta, as the original). Stateless between steps, so reset() is a no-op.
 */
export class DqnPolicy implements Policy {
  readonly name: string;
  constructor(
    private readonly q: QFunction,
    private readonly normalizer: RunningNormalizer,
    private readonly maxDelta: number,
    name = 'DQN',
  ) {
    this.name = name;
  }

  reset(): void {}

  act(observation: Observation): number {
    const values = this.q.predict(this.normalizer.normalize(observation), 1);
    return argmax(values, 0, 2 * this.maxDelta + 1, 'last') - this.maxDelta;
  }

  dispose(): void {
    this.q.dispose();
  }
}

/**
 * The agent's current greedy policy. It shares the agent's online network (so use it before
 * training goes on) and freezes a copy of the normalisation statistics.
 */
export function greedyPolicy(agent: DqnAgent): Policy {
  const frozen = RunningNormalizer.fromJSON(agent.normalizer.toJSON());
  const space = agent.actionSpace;
  if (!(space instanceof DeltaSpace)) throw new TypeError('greedyPolicy: a worker-delta agent expected (general agents: generalDqnGreedy)');
  const policy = new DqnPolicy(agent.online, frozen, space.maxDelta);
  return { name: policy.name, reset: () => policy.reset(), act: (o) => policy.act(o) };
}

export interface CreateDqnAgentOptions {
  config: Config;
  actionSpace: ActionSpace;
  observationSize: number;
  seed: number;
  /** Override config.dqn (e.g. from CLI flags). */
  params?: DqnHyperParams;
  backend?: TfBackendPreference;
}

/** Start TensorFlow.js (printing the backend) and build a fresh agent. */
export async function createDqnAgent(o: CreateDqnAgentOptions): Promise<{ agent: DqnAgent; tfBackend: TfBackendName }> {
  const tfBackend = await initTf(o.backend ?? 'auto');
  const agent = new DqnAgent({
    params: o.params ?? dqnHyperParams(o.config.dqn),
    observationSize: o.observationSize,
    actionSpace: o.actionSpace,
    seed: o.seed,
    createQ: (spec, seeds) => TfjsQFunction.create(spec, seeds),
  });
  return { agent, tfBackend };
}

/**
 * Load a trained DQN (a directory written by train-dqn) as a greedy Policy for `config`.
 * Throws ModelFileError if a file is missing or corrupt, or the model's action space does not
 * match config.scaling.max_delta.
 */
export async function loadDqnPolicy(dir: string, config: Config, options: { backend?: TfBackendPreference } = {}): Promise<DqnPolicy> {
  await initTf(options.backend ?? 'auto');
  const { q, normalizer, metadata } = await loadDqnModel(dir);
  if (metadata.general) {
    q.dispose();
    throw new ModelFileError(`${dir}: a general DQN model (load it with loadGeneralDqnPolicy)`);
  }
  if (metadata.action_space.max_delta !== config.scaling.max_delta) {
    q.dispose();
    throw new ModelFileError(
      `${dir}: the model was trained with scaling.max_delta ${metadata.action_space.max_delta}; ` +
        `the configuration has ${config.scaling.max_delta}`,
    );
  }
  return new DqnPolicy(q, normalizer, config.scaling.max_delta);
}

/** A DQN model directory of either kind (modelKind) as its greedy policy; dispose() frees the network. */
export async function loadDqnModelPolicy(
  dir: string,
  config: Config,
  options: { backend?: TfBackendPreference; name?: string } = {},
): Promise<Policy & { dispose(): void }> {
  if (modelKind(dir) === 'general-dqn') return loadGeneralDqnPolicy(dir, options);
  const policy = await loadDqnPolicy(dir, config, options.backend ? { backend: options.backend } : {});
  return policy;
}
