/** The general SARSA trainer (agents/general/sarsa-general.ts) behind the harness's Trainer interface. */
import { configHash, type Config, type Env } from '@autofarm/core';
import { createGeneralSarsaAgent, generalSarsaPolicy, loadGeneralSarsa, saveGeneralSarsaModel, stateSpaceSize, TargetActions, trainSarsa, type SarsaAgent } from '@autofarm/agents';
import type { Trainer } from './trainer.js';

export function generalSarsaTrainer(config: Config, resume?: string): Trainer {
  const loaded = resume ? loadGeneralSarsa(resume) : null;
  const agent: SarsaAgent = loaded?.agent ?? createGeneralSarsaAgent(config);
  const actions = loaded?.actions ?? new TargetActions(config.general.action_targets, config.general.scale_down_limit);
  let done = loaded?.file.episodes_trained ?? 0;
  const hash = configHash(config);
  return {
    kind: 'sarsa',
    get episodesDone() {
      return done;
    },
    describe: () => [`general sarsa: ${JSON.stringify(agent.hp)}`, `bins over [load, trend, queue, qos, latency, headroom, burst]: ${JSON.stringify(agent.edges)} (${stateSpaceSize(agent.edges)} states)`],
    async trainEpisode(env: Env, episode: number, seed: number) {
      // trainSarsa resets episode e with base + e - 1: pass the base that gives `seed`
      const [s] = await trainSarsa(env, agent, { episodes: 1, seed: seed - episode + 1, firstEpisode: episode });
      done = episode;
      if (!s) throw new Error('trainSarsa returned no episode');
      return { epsilon: s.epsilon };
    },
    greedy: () => generalSarsaPolicy(agent, actions),
    async save(path) {
      const file = `${path}.json`;
      saveGeneralSarsaModel(file, agent, { seed: config.seed, configHash: hash, episodesTrained: done, missPrice: config.general.miss_price, actionTargets: actions.targets, scaleDownLimit: actions.scaleDownLimit });
      return file;
    },
    summary: () => ({ table_size: agent.q.size, state_space: stateSpaceSize(agent.edges) }),
    dispose() {},
  };
}
