/**
 * The two training settings, one object each (ORIGINAL, GENERAL), so the harness, the trainers
 * and the commands ask the setting instead of testing a mode flag. A setting says what the agent
 * learns on (the env and its step rows), what its checkpoints are evaluated on, what the run and
 * its models are called, and which configuration block holds the hyper-parameters
 * (docs/general-training.md for the general mode).
 */
import { type Config, type Env, type Policy, type StepInfo, type TrainingMode } from '@autofarm/core';
import {
  createEnv,
  episodeCost,
  evaluate,
  evaluationSeeds,
  RecordEpisodeStatistics,
  validationSeeds,
  type EpisodeRecord,
} from '@autofarm/env';
import { GeneralTrainingEnv, randomEpisodeConfig } from '@autofarm/agents';
import { FEATURE_STEP_HEADER, featureStepRow, STEP_HEADER, stepRow } from '../training-log.js';

export type AgentKind = 'sarsa' | 'dqn';

/** The env a trainer learns on, and the record of the farm's last finished episode. */
export interface TrainingEnv {
  env: Env;
  lastEpisode(): EpisodeRecord | null;
}

export interface TrainingSetting {
  readonly mode: TrainingMode;
  /** Name of the run directory (`<name>_run_*`) and the model files (`<name>_final`): sarsa, sarsa_general, ... */
  name(kind: AgentKind): string;
  /** The configuration block whose hyper-parameters (and default episodes) this setting trains with. */
  block(kind: AgentKind): string;
  /** Default training episodes. */
  episodes(config: Config, kind: AgentKind): number;
  /** What checkpoints are evaluated on, as the [EVAL] line ends: "(5 held-out seeds)". */
  readonly evaluatedOn: string;
  /** The backend training runs on. */
  backend(config: Config): Config['backend'];
  trainingEnv(config: Config): Promise<TrainingEnv>;
  /** Greedy episodes of `policy` for one checkpoint. */
  evaluate(config: Config, policy: Policy, episodes: number): Promise<EpisodeRecord[]>;
  /** The cost of an episode in worker-seconds (misses at the miss price), or undefined where the agent is paid the shaped reward. */
  cost(config: Config, record: EpisodeRecord): number | undefined;
  /** Price of a missed deadline for the checkpoints' cost (undefined: no cost). */
  missPrice(config: Config): number | undefined;
  /** What logs/training.log says first: the run, then (after the arguments line) the block that shapes the episodes. */
  header(kind: AgentKind, config: Config, first: number, last: number): string;
  episodesLine(config: Config): string;
  plotTitle(kind: AgentKind, config: Config): string;
  /** Header of the step rows, and one row: the agent's observation as it saw it. */
  readonly stepHeader: string;
  stepRow(episode: number, observation: readonly number[], info: StepInfo, action: number, reward: number, loss: number | null): string;
  /** The steps.jsonl key of the agent's observation. */
  readonly observationKey: 'observation' | 'features';
}

/** The prototype's experiment: the 9-number observation, the shaped reward, ±max_delta, one workload, held-out seeds. */
export const ORIGINAL: TrainingSetting = {
  mode: 'original',
  name: (kind) => kind,
  block: (kind) => kind,
  episodes: (config, kind) => config[kind].episodes,
  evaluatedOn: 'held-out seeds',
  backend: (config) => config.backend,
  async trainingEnv(config) {
    const env = new RecordEpisodeStatistics(await createEnv(config));
    return { env, lastEpisode: () => env.lastEpisode };
  },
  evaluate: (config, policy, episodes) => evaluate(policy, () => createEnv(config), evaluationSeeds(config.seed, episodes), { config }),
  cost: () => undefined,
  missPrice: () => undefined,
  header: (kind, config, first, last) =>
    `train-${kind}: ${last - first + 1} episodes on ${config.backend} (${config.workload.arrival_process} ` +
    `arrivals${config.workload.phase_shuffle ? ', phases shuffled' : ''}), seed ${config.seed}`,
  episodesLine: (config) => `reward: ${JSON.stringify(config.reward)}`,
  plotTitle: (kind, config) =>
    `${kind === 'sarsa' ? 'SARSA' : 'DQN'} training (${config.workload.arrival_process} arrivals, seed ${config.seed})`,
  stepHeader: STEP_HEADER,
  stepRow,
  observationKey: 'observation',
};

/** Greedy episodes of `policy` on the random workloads of `seeds` (never the benchmark's held-out seeds). */
export async function validateGeneral(config: Config, policy: Policy, seeds: readonly number[]): Promise<EpisodeRecord[]> {
  const records: EpisodeRecord[] = [];
  for (const seed of seeds) {
    const episodeConfig = randomEpisodeConfig(config, seed);
    records.push(
      ...(await evaluate(policy, () => createEnv(episodeConfig, { backend: 'sim' }), [seed], {
        config: episodeConfig,
        actuation: 'native',
      })),
    );
  }
  return records;
}

/** Random workloads from general.domain, load features, reserve actions every general.cadence s, the cost reward. */
export const GENERAL: TrainingSetting = {
  mode: 'general',
  name: (kind) => `${kind}_general`,
  block: (kind) => `general.${kind}`,
  episodes: (config, kind) => config.general[kind].episodes,
  evaluatedOn: 'validation workloads',
  backend: () => 'sim',
  async trainingEnv(config) {
    // the recorder wraps the farm env inside, so the record holds the farm's shaped reward, not the learner's cost reward
    let farm: RecordEpisodeStatistics | null = null;
    const env = new GeneralTrainingEnv(config, async (c) => (farm = new RecordEpisodeStatistics(await createEnv(c, { backend: 'sim' }))));
    return { env, lastEpisode: () => farm?.lastEpisode ?? null };
  },
  evaluate: (config, policy, episodes) => validateGeneral(config, policy, validationSeeds(config.seed, episodes)),
  cost: (config, record) => episodeCost(record.summary, config.general.miss_price),
  missPrice: (config) => config.general.miss_price,
  header: (kind, config, first, last) =>
    `train-${kind} (general): episodes ${first}-${last}, seed ${config.seed}, random ` +
    `workloads (general.domain), miss price ${config.general.miss_price} worker-seconds, ` +
    `reserves ${JSON.stringify(config.general.action_reserves)} every ${config.general.cadence} s`,
  episodesLine: (config) => `domain: ${JSON.stringify(config.general.domain)}`,
  plotTitle: (kind, config) => `${kind.toUpperCase()} general training (seed ${config.seed})`,
  stepHeader: FEATURE_STEP_HEADER,
  stepRow: featureStepRow,
  observationKey: 'features',
};

export function settingOf(mode: TrainingMode): TrainingSetting {
  return mode === 'general' ? GENERAL : ORIGINAL;
}
