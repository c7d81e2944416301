/**
 * General DQN, beside general SARSA (sarsa-general.ts): the Double DQN of dqn/dqn.ts over the load
 * features with the reserve actions, its hyper-parameters (config.dqn with config.general.dqn over
 * it) and its greedy policy. The model directory is the usual one; metadata.json's `general` block
 * names the features, reserves, sizing assumptions, cadence and miss price it was trained with.
 * It loads TensorFlow.js, so it is exported from `@autofarm/agents/dqn`, never from this folder's index.
 */
import { ModelFileError, type Config } from '@autofarm/core';
import { modelActions, reserveActions, type ReserveActions } from './actions.js';
import { FEATURE_NAMES } from './features.js';
import { GeneralPolicy } from './policy.js';
import { argmax, dqnHyperParams, type DqnAgent, type DqnHyperParams } from '../dqn/dqn.js';
import { loadDqnModel, type DqnMetadata } from '../dqn/model-dir.js';
import type { RunningNormalizer } from '../dqn/normalizer.js';
import type { QFunction } from '../dqn/q-function.js';
import { initTf, type TfBackendPreference } from '../dqn/tf-backend.js';

export function generalDqnHyperParams(config: Config): DqnHyperParams {
  const g = config.general.dqn;
  return {
    ...dqnHyperParams(config.dqn),
    gamma: g.gamma,
    learningRate: g.learning_rate,
    epsilonStart: g.epsilon_start,
    epsilonEnd: g.epsilon_end,
    epsilonDecay: g.epsilon_decay,
    batchSize: g.batch_size,
    hiddenLayers: [...g.hidden_layers],
    targetTau: g.target_tau,
    warmupSteps: g.warmup_steps,
    trainEvery: g.train_every,
    rewardOffset: 0,
  };
}

export function generalDqnMetadata(config: Config): NonNullable<DqnMetadata['general']> {
  const actions = reserveActions(config);
  return {
    features: [...FEATURE_NAMES],
    action_reserves: [...actions.reserves],
    scale_down_limit: actions.scaleDownLimit,
    sizing: { service_shape: actions.sizing.serviceShape, deadline_coefficient: actions.sizing.deadlineCoefficient },
    cadence: config.general.cadence,
    miss_price: config.general.miss_price,
  };
}

function greedyOver(q: QFunction, normalizer: RunningNormalizer, n: number) {
  return (features: number[]) => argmax(q.predict(normalizer.normalize(features), 1), 0, n, 'last');
}

/** The agent's current greedy general policy (shares its online network; the statistics are frozen). */
export function generalDqnGreedy(
  agent: DqnAgent,
  actions: ReserveActions,
  frozen: RunningNormalizer,
  cadence: number,
  name = 'DQN (general)',
): GeneralPolicy {
  return new GeneralPolicy(name, greedyOver(agent.online, frozen, actions.n), actions, cadence);
}

/** A general DQN model directory as a greedy Policy (dispose() frees the network). */
export async function loadGeneralDqnPolicy(
  dir: string,
  options: { backend?: TfBackendPreference; name?: string } = {},
): Promise<GeneralPolicy & { dispose(): void }> {
  await initTf(options.backend ?? 'auto');
  const { q, normalizer, metadata } = await loadDqnModel(dir);
  const g = metadata.general;
  if (!g || g.features.join(',') !== FEATURE_NAMES.join(',') || !Array.isArray(g.action_reserves)) {
    q.dispose();
    throw new ModelFileError(
      `${dir}: not a general DQN model of this build ` +
        `(features ${JSON.stringify(g?.features)}, expected [${FEATURE_NAMES.join(', ')}] and action_reserves)`,
    );
  }
  let actions: ReserveActions;
  let cadence: number;
  try {
    ({ actions, cadence } = modelActions(g, dir));
  } catch (error) {
    q.dispose();
    throw error;
  }
  if (actions.n !== metadata.action_space.n) {
    q.dispose();
    throw new ModelFileError(`${dir}: ${actions.n} actions but the network has ${metadata.action_space.n} outputs`);
  }
  const policy = new GeneralPolicy(
    options.name ?? 'DQN (general)',
    greedyOver(q, normalizer, actions.n),
    actions,
    cadence,
  ) as GeneralPolicy & {
    dispose(): void;
  };
  policy.dispose = () => q.dispose();
  return policy;
}
