/**
 * SARSA behind the harness's Trainer interface, in either setting: ORIGINAL (the 9-number
 * observation, config.sarsa, ±max_delta actions, sarsa_*.json models, training_state_visits.json)
 * or GENERAL (agents/general/sarsa-general.ts: load features, reserve actions, the cost reward of
 * GeneralTrainingEnv). The learning loop is trainSarsa's, one episode per call.
 */
import { configHash, DeltaSpace, mean, median, type Config, type Env } from '@autofarm/core';
import {
  createGeneralSarsaAgent,
  generalSarsaPolicy,
  hyperParamsOf,
  loadGeneralSarsa,
  resolveEdges,
  SarsaAgent,
  sarsaPolicy,
  saveGeneralSarsaModel,
  saveSarsaModel,
  stateSpaceSize,
  reserveActions,
  trainSarsa,
} from '@autofarm/agents';
import type { RunDir } from '@autofarm/runs';
import type { TrainingSetting } from './setting.js';
import type { Trainer } from './trainer.js';

/** Reference §12.6: visits and Q-values per visited state, most visited first. */
function stateVisits(agent: SarsaAgent) {
  const counts = [...agent.visits].map(([state, visits]) => ({
    state: state.split(',').map(Number),
    visits,
    q_values: Array.from(agent.values(state)),
  }));
  counts.sort((a, b) => b.visits - a.visits);
  const v = counts.map((c) => c.visits);
  const space = stateSpaceSize(agent.edges);
  return {
    total_unique_states: counts.length,
    total_visits: v.reduce((a, b) => a + b, 0),
    total_state_space: space,
    coverage: counts.length / space,
    visit_stats: { mean: mean(v), median: median(v), max: Math.max(0, ...v), min: v.length ? Math.min(...v) : 0 },
    counts,
  };
}

export function sarsaTrainer(config: Config, setting: TrainingSetting, resume?: string): Trainer {
  const general = setting.mode === 'general';
  const loaded = general && resume ? loadGeneralSarsa(resume) : null;
  const actions = loaded?.actions ?? reserveActions(config);
  const cadence = loaded?.file.cadence ?? config.general.cadence;
  const agent: SarsaAgent =
    loaded?.agent ??
    (general
      ? createGeneralSarsaAgent(config)
      : new SarsaAgent(resolveEdges(config.sarsa.bins), new DeltaSpace(config.scaling.max_delta), hyperParamsOf(config.sarsa)));
  let done = loaded?.file.episodes_trained ?? 0;
  const hash = configHash(config);
  return {
    kind: 'sarsa',
    setting,
    stepHeader: setting.stepHeader.replace('    Loss', '  TD_err'),
    get episodesDone() {
      return done;
    },
    describe: () => [
      `sarsa: ${JSON.stringify(agent.hp)}`,
      `bin edges${general ? ' over [load, trend, queue, qos, latency, headroom, burst]' : ''}: ` +
        `${JSON.stringify(Object.fromEntries(agent.edges.map((e, i) => [i, e])))} (${stateSpaceSize(agent.edges)} ` +
        `discrete states)`,
    ],
    async trainEpisode(env: Env, episode: number, seed: number, steps) {
      // trainSarsa resets episode e with base + e - 1: pass the base that gives `seed`
      const [s] = await trainSarsa(env, agent, {
        episodes: 1,
        seed: seed - episode + 1,
        firstEpisode: episode,
        hooks: steps
          ? {
              onStep: (e) =>
                steps(setting.stepRow(e.episode, e.observation, e.info, e.action, e.reward, e.tdError), {
                  episode: e.episode,
                  step: e.step,
                  time: e.info.time,
                  action: e.action,
                  applied: e.info.appliedDelta,
                  [setting.observationKey]: e.observation,
                  reward: e.reward,
                  td_error: e.tdError,
                  epsilon: agent.epsilon,
                }),
            }
          : {},
      });
      done = episode;
      if (!s) throw new Error('trainSarsa returned no episode');
      return { seed: s.seed, epsilon: s.epsilon, table_size: s.table_size };
    },
    greedy: () => (general ? generalSarsaPolicy(agent, actions, cadence) : sarsaPolicy(agent)),
    async save(path) {
      const file = `${path}.json`;
      if (general)
        saveGeneralSarsaModel(file, agent, {
          seed: config.seed,
          configHash: hash,
          episodesTrained: done,
          missPrice: config.general.miss_price,
          actions,
          cadence,
        });
      else saveSarsaModel(file, agent, { seed: config.seed, configHash: hash, episodesTrained: done });
      return file;
    },
    summary: () => ({ table_size: agent.q.size, state_space: stateSpaceSize(agent.edges) }),
    ...(general ? {} : { finish: (dir: RunDir) => dir.writeJson('training_state_visits.json', stateVisits(agent)) }),
    dispose() {},
  };
}
