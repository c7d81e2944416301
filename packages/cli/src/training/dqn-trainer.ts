/**
 * The general DQN trainer behind the harness's Trainer interface. tfjs loads through a dynamic
 * import, only when a DQN trains. Resuming restores the network, normalisation statistics and
 * counters (so ε continues); the replay buffer is not saved and refills from the resumed episodes.
 */
import { configHash, type Config, type Env, type Policy } from '@autofarm/core';
import { TargetActions, FEATURE_SPACE, indexSpace } from '@autofarm/agents';
import type { Trainer } from './trainer.js';

export async function generalDqnTrainer(config: Config, options: { resume?: string; tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu' } = {}): Promise<Trainer> {
  const dqn = await import('@autofarm/agents/dqn');
  const actions = new TargetActions(config.general.action_targets, config.general.scale_down_limit);
  const params = dqn.generalDqnHyperParams(config);
  const { agent, tfBackend } = await dqn.createDqnAgent({ config, actionSpace: indexSpace(actions), observationSize: FEATURE_SPACE.size, seed: config.seed, params, backend: options.tfBackend ?? 'auto' });
  if (options.resume) {
    const { q, normalizer, metadata } = await dqn.loadDqnModel(options.resume);
    agent.online.setWeights(q.getWeights());
    agent.target.setWeights(q.getWeights());
    q.dispose();
    Object.assign(agent.normalizer, dqn.RunningNormalizer.fromJSON(normalizer.toJSON()));
    agent.episodesDone = metadata.episodes_trained;
    agent.actingSteps = metadata.acting_steps;
    agent.updates = metadata.updates;
  }
  const hash = configHash(config);
  return {
    kind: 'dqn',
    get episodesDone() {
      return agent.episodesDone;
    },
    describe: () => [`general dqn: ${JSON.stringify(params)}`, `TensorFlow.js backend ${tfBackend}`],
    async trainEpisode(env: Env, _episode: number, seed: number) {
      let losses: number[] = [];
      await dqn.trainDqn(env, agent, [seed], { onEpisode: (e) => void (losses = e.losses) });
      return { epsilon: agent.epsilon, mean_loss: losses.length > 0 ? losses.reduce((x, y) => x + y, 0) / losses.length : 0 };
    },
    greedy(): Policy {
      return dqn.generalDqnGreedy(agent, actions, dqn.RunningNormalizer.fromJSON(agent.normalizer.toJSON()));
    },
    async save(path) {
      await dqn.saveDqnModel(path, agent, { configHash: hash, tfBackend, general: dqn.generalDqnMetadata(config) });
      return path;
    },
    summary: () => ({ updates: agent.updates, acting_steps: agent.actingSteps, tf_backend: tfBackend }),
    dispose: () => agent.dispose(),
  };
}
