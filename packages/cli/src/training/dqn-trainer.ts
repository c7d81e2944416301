/**
 * The general DQN trainer behind the harness's Trainer interface. tfjs loads through a dynamic
 * import, only when a DQN trains. Resuming restores the network, normalisation statistics and
 * counters (so ε continues); the replay buffer is not saved and refills from the resumed episodes.
 */
import { configHash, type Config, type Env, type Policy } from '@autofarm/core';
import { TargetActions, FEATURE_SPACE, indexSpace } from '@autofarm/agents';
import type { TrainingEpisode } from '@autofarm/runs';
import type { Trainer } from './trainer.js';

export async function generalDqnTrainer(config: Config, options: { resume?: string; tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu' } = {}): Promise<Trainer> {
  const dqn = await import('@autofarm/agents/dqn');
  const actions = new TargetActions(config.general.action_targets);
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
    async trainEpisode(env: Env, episode: number, seed: number): Promise<TrainingEpisode> {
      const qos: number[] = [];
      const workers: number[] = [];
      let reward = 0;
      let up = 0;
      let down = 0;
      let losses: number[] = [];
      let last: Awaited<ReturnType<Env['step']>> | null = null;
      await dqn.trainDqn(env, agent, [seed], {
        onStep: (s) => {
          reward += s.result.reward;
          qos.push(s.result.info.qosRate);
          workers.push(s.result.info.workers);
          if (s.result.info.appliedDelta > 0) up++;
          else if (s.result.info.appliedDelta < 0) down++;
          last = s.result;
        },
        onEpisode: (e) => {
          losses = e.losses;
        },
      });
      const info = (last as Awaited<ReturnType<Env['step']>> | null)?.info;
      const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
      return {
        episode,
        steps: qos.length,
        total_reward: reward,
        mean_qos: mean(qos),
        final_qos: info?.episodeFinalQos ?? mean(qos),
        processed_tasks: info?.processedTasks ?? 0,
        epsilon: agent.epsilon,
        scale_up_count: up,
        scale_down_count: down,
        noop_count: qos.length - up - down,
        max_workers: Math.max(0, ...workers),
        mean_workers: mean(workers),
        qos_violations: info?.qosViolations ?? 0,
        unfinished_tasks: info?.unfinishedTasks ?? 0,
        mean_loss: mean(losses),
      };
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
