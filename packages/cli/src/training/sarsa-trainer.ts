/**
 * SARSA behind the harness's Trainer interface, in either setting: ORIGINAL (the 9-number
 * observation, config.sarsa, ±max_delta actions, sarsa_*.json models, training_state_visits.json)
 * or GENERAL (agents/general/sarsa-general.ts: load features, reserve actions, the cost reward of
 * GeneralTrainingEnv). The learning loop is trainSarsa's, one episode per call.
 */
import { configHash, DeltaSpace, mean, median, type Config, type Env, type Policy, type TrainingMode } from '@autofarm/core';
import {
  createGeneralSarsaAgent,
  FEATURE_NAMES,
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

/** What SARSA is in one setting: its agent, what its edges bin, its greedy policy and its model file. */
interface SarsaFlavour {
  agent: SarsaAgent;
  episodesDone: number;
  binned: string;
  greedy(): Policy;
  save(file: string, meta: { seed: number; configHash: string; episodesTrained: number }): void;
  finish?(dir: RunDir): void;
}

const SARSA_FLAVOURS: Record<TrainingMode, (config: Config, resume?: string) => SarsaFlavour> = {
  original(config) {
    const agent = new SarsaAgent(resolveEdges(config.sarsa.bins), new DeltaSpace(config.scaling.max_delta), hyperParamsOf(config.sarsa));
    return {
      agent,
      episodesDone: 0,
      binned: '',
      greedy: () => sarsaPolicy(agent),
      save: (file, meta) => saveSarsaModel(file, agent, meta),
      finish: (dir) => dir.writeJson('training_state_visits.json', stateVisits(agent)),
    };
  },
  general(config, resume) {
    const loaded = resume ? loadGeneralSarsa(resume) : null;
    const actions = loaded?.actions ?? reserveActions(config);
    const cadence = loaded?.file.cadence ?? config.general.cadence;
    const agent = loaded?.agent ?? createGeneralSarsaAgent(config);
    return {
      agent,
      episodesDone: loaded?.file.episodes_trained ?? 0,
      binned: ` over [${FEATURE_NAMES.join(', ')}]`,
      greedy: () => generalSarsaPolicy(agent, actions, cadence),
      save: (file, meta) => saveGeneralSarsaModel(file, agent, { ...meta, missPrice: config.general.miss_price, actions, cadence }),
    };
  },
};

export function sarsaTrainer(config: Config, setting: TrainingSetting, resume?: string): Trainer {
  const flavour = SARSA_FLAVOURS[setting.mode](config, resume);
  const { agent } = flavour;
  let done = flavour.episodesDone;
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
      `bin edges${flavour.binned}: ` +
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
    greedy: () => flavour.greedy(),
    async save(path) {
      const file = `${path}.json`;
      flavour.save(file, { seed: config.seed, configHash: hash, episodesTrained: done });
      return file;
    },
    summary: () => ({ table_size: agent.q.size, state_space: stateSpaceSize(agent.edges) }),
    ...(flavour.finish ? { finish: flavour.finish } : {}),
    dispose() {},
  };
}
