/**
 * The Double DQN behind the harness's Trainer interface, in either setting: ORIGINAL (the 9-number
 * observation, config.dqn, ±max_delta actions) or GENERAL (load features, reserve actions,
 * config.general.dqn over config.dqn; metadata.json's `general` block). tfjs loads
 * through a dynamic import, only when a DQN trains. Resuming (general) restores the network, the
 * normalisation statistics and the counters (so ε continues); the replay buffer is not saved and
 * refills from the resumed episodes. The summary reports RSS, JS heap and live tensors before
 * training, after the first episode with gradient updates and at the end (after a full GC when
 * node runs with --expose-gc).
 */
import {
  configHash,
  DeltaSpace,
  OBSERVATION_NAMES,
  type ActionSpace,
  type Config,
  type Env,
  type Policy,
  type TrainingMode,
} from '@autofarm/core';
import type { DqnHyperParams, DqnMetadata } from '@autofarm/agents/dqn';
import { FEATURE_SPACE, reserveActions, reserveSpace, type GeneralTrainingEnv } from '@autofarm/agents';
import type { TrainingSetting } from './setting.js';
import type { Trainer } from './trainer.js';

export interface DqnTrainerOptions {
  resume?: string;
  tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
}

type DqnModule = typeof import('@autofarm/agents/dqn');
type DqnAgent = InstanceType<DqnModule['DqnAgent']>;

/** What the DQN is in one setting: its hyper-parameters, action set, input size, greedy policy and model metadata. */
interface DqnFlavour {
  params: DqnHyperParams;
  actionSpace: ActionSpace;
  observationSize: number;
  greedy(agent: DqnAgent): Policy;
  metadata: { general?: NonNullable<DqnMetadata['general']> };
}

const DQN_FLAVOURS: Record<TrainingMode, (config: Config, dqn: DqnModule) => DqnFlavour> = {
  original: (config, dqn) => ({
    params: dqn.dqnHyperParams(config.dqn),
    actionSpace: new DeltaSpace(config.scaling.max_delta),
    observationSize: OBSERVATION_NAMES.length,
    greedy: (agent) => dqn.greedyPolicy(agent),
    metadata: {},
  }),
  general(config, dqn) {
    const actions = reserveActions(config);
    return {
      params: dqn.generalDqnHyperParams(config),
      actionSpace: reserveSpace(actions),
      observationSize: FEATURE_SPACE.size,
      greedy: (agent) =>
        dqn.generalDqnGreedy(agent, actions, dqn.RunningNormalizer.fromJSON(agent.normalizer.toJSON()), config.general.cadence),
      metadata: { general: dqn.generalDqnMetadata(config) },
    };
  },
};

export async function dqnTrainer(config: Config, setting: TrainingSetting, options: DqnTrainerOptions = {}): Promise<Trainer> {
  const dqn = await import('@autofarm/agents/dqn');
  const flavour = DQN_FLAVOURS[setting.mode](config, dqn);
  const params = flavour.params;
  const crnHorizon = setting.mode === 'general' ? config.general.dqn.crn_horizon : 0;
  const { agent, tfBackend } = await dqn.createDqnAgent({
    config,
    actionSpace: flavour.actionSpace,
    observationSize: flavour.observationSize,
    seed: config.seed,
    params,
    backend: options.tfBackend ?? 'auto',
  });
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
  const gc = (globalThis as { gc?: () => void }).gc;
  const usage = () => {
    gc?.();
    const m = process.memoryUsage();
    return { rss: Math.round((m.rss / 2 ** 20) * 10) / 10, heap: Math.round((m.heapUsed / 2 ** 20) * 10) / 10 };
  };
  const memory = {
    rssMbBefore: usage().rss,
    rssMbStart: 0,
    rssMbEnd: 0,
    heapMbStart: 0,
    heapMbEnd: 0,
    tensorsStart: 0,
    tensorsEnd: 0,
    gcExposed: gc !== undefined,
  };
  return {
    kind: 'dqn',
    setting,
    stepHeader: setting.stepHeader,
    get episodesDone() {
      return agent.episodesDone;
    },
    describe: () => [`dqn: ${JSON.stringify(params)}`, `TensorFlow.js backend ${tfBackend}`],
    async trainEpisode(env: Env, episode: number, seed: number, steps) {
      let losses: number[] = [];
      await dqn.trainDqn(env, agent, [seed], {
        ...(steps
          ? {
              onStep: (s) => {
                const { info } = s.result;
                steps(setting.stepRow(episode, s.result.observation, info, s.action, s.result.reward, s.loss), {
                  episode,
                  seed: s.seed,
                  step: info.step,
                  time: info.time,
                  action: s.action,
                  applied: info.appliedDelta,
                  [setting.observationKey]: s.result.observation,
                  reward: s.result.reward,
                  loss: s.loss,
                  epsilon: s.epsilon,
                });
              },
            }
          : {}),
        onEpisode: (e) => void (losses = e.losses),
        ...(crnHorizon > 0 && 'actionRewards' in env ? { actionRewards: () => (env as GeneralTrainingEnv).actionRewards(crnHorizon) } : {}),
      });
      if (memory.tensorsStart === 0 && losses.length > 0) {
        const u = usage();
        Object.assign(memory, { rssMbStart: u.rss, heapMbStart: u.heap, tensorsStart: dqn.tensorCount() });
      }
      return { epsilon: agent.epsilon, mean_loss: losses.length > 0 ? losses.reduce((x, y) => x + y, 0) / losses.length : 0 };
    },
    greedy: () => flavour.greedy(agent),
    async save(path) {
      await dqn.saveDqnModel(path, agent, { configHash: hash, tfBackend, ...flavour.metadata });
      return path;
    },
    summary: () => {
      const u = usage();
      Object.assign(memory, { rssMbEnd: u.rss, heapMbEnd: u.heap, tensorsEnd: dqn.tensorCount() });
      return { updates: agent.updates, acting_steps: agent.actingSteps, tf_backend: tfBackend, memory: { ...memory } };
    },
    dispose: () => agent.dispose(),
  };
}
