/**
 * The general training environment: an Env wrapper that, at every reset, builds the episode's
 * farm from the seed (domain.ts), one env step per decision (general.cadence seconds apart), and
 * then shows the agent the load features (features.ts), takes an action index of the reserve
 * action set (actions.ts) and pays the cost reward (cost.ts). trainSarsa and trainDqn run on it
 * unchanged: to them it is an env whose action space is the index set {-k..k} (index − k) and
 * whose observation is the feature vector.
 *
 * The inner env comes from an injected factory, so agents still import core only.
 */
import {
  BoxSpace,
  DeltaSpace,
  type Config,
  type Env,
  type EnvBounds,
  type Observation,
  type ResetOptions,
  type ResetResult,
  type StepInfo,
  type StepResult,
} from '@autofarm/core';
import { reserveActions, ReserveSizer, type ReserveActions } from './actions.js';
import { CostReward } from './cost.js';
import { atCadence, randomEpisodeConfig } from './domain.js';
import { FEATURE_NAMES, FeatureTransform, type FarmReading } from './features.js';

export type EnvFactory = (config: Config) => Env | Promise<Env>;

/** The learners' index space over the actions: DeltaSpace(k) holds 2k + 1 actions, index i = delta + k. */
export function indexSpace(actions: ReserveActions): DeltaSpace {
  const k = (actions.n - 1) / 2;
  if (!Number.isInteger(k))
    throw new RangeError(
      `general.action_reserves: expected an odd number of actions, found ${actions.n} ([${actions.reserves.join(', ')}])`,
    );
  return new DeltaSpace(k);
}

export const FEATURE_SPACE = new BoxSpace([0, -2, 0, 0, 0, 0, 0], [5, 2, 20, 1, 20, 1, 20], FEATURE_NAMES);

export interface GeneralEnvOptions {
  /** false: every episode runs `config` as it is (the features, actions and prices still apply). Default true. */
  randomize?: boolean;
}

export class GeneralTrainingEnv implements Env {
  readonly observationSpace = FEATURE_SPACE;
  readonly actionSpace: DeltaSpace;
  readonly deterministic = true;
  readonly actions: ReserveActions;
  private inner: Env | null = null;
  private readonly transform = new FeatureTransform();
  private readonly sizer: ReserveSizer;
  private readonly cost: CostReward;
  private last: Observation = [];
  /** The configuration of the current episode. */
  episodeConfig: Config;

  constructor(
    readonly config: Config,
    private readonly makeEnv: EnvFactory,
    private readonly options: GeneralEnvOptions = {},
  ) {
    this.actions = reserveActions(config);
    this.sizer = new ReserveSizer(this.actions);
    this.actionSpace = indexSpace(this.actions);
    this.cost = new CostReward(config.general.miss_price);
    this.episodeConfig = config;
  }

  get bounds(): EnvBounds {
    const s = this.episodeConfig.scaling;
    return {
      minWorkers: s.min_workers,
      maxWorkers: s.max_workers,
      stepDuration: this.episodeConfig.episode.step_duration,
      maxDelta: this.actionSpace.maxDelta,
    };
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (options.seed === undefined) throw new Error('GeneralTrainingEnv.reset needs a seed (the episode workload is drawn from it)');
    await this.inner?.close();
    this.episodeConfig = this.options.randomize === false ? atCadence(this.config) : randomEpisodeConfig(this.config, options.seed);
    this.inner = await this.makeEnv(this.episodeConfig);
    const r = await this.inner.reset(options);
    this.transform.reset();
    this.sizer.reset();
    this.cost.reset(r.info);
    this.last = r.observation;
    return { observation: this.transform.apply(r.observation, this.inner.bounds, reading(r.info)), info: r.info };
  }

  async step(action: number): Promise<StepResult> {
    if (!this.inner) throw new Error('GeneralTrainingEnv.step called before reset()');
    const { bounds } = this.inner;
    const delta = this.sizer.delta(this.actionSpace.index(action), this.last[4] as number, this.transform.estimate(this.last), bounds);
    const r = await this.inner.step(delta);
    this.last = r.observation;
    const ended = r.terminated || r.truncated;
    const reward = this.cost.step(r.info, this.inner.bounds, ended);
    return { ...r, reward, observation: this.transform.apply(r.observation, this.inner.bounds, reading(r.info)) };
  }

  async close(): Promise<void> {
    await this.inner?.close();
    this.inner = null;
  }
}

/** What the feature transform reads of a step's info. */
function reading(info: StepInfo): FarmReading {
  return { time: info.time, enqueuedTotal: info.enqueuedTotal, busyWorkers: info.metrics.busyWorkers };
}
