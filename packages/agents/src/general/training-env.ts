/**
 * The general training environment: an Env wrapper that, at every reset, builds the episode's
 * farm from the seed (domain.ts), takes one env step per decision (general.cadence seconds apart),
 * shows the agent the load features and takes a reserve index (DiscreteSpace(n)) through the
 * GeneralController that deployment uses too, and pays the cost reward (cost.ts). trainSarsa and
 * trainDqn run on it unchanged. The inner env comes from an injected factory, so agents still
 * import core only.
 */
import {
  BoxSpace,
  DiscreteSpace,
  type Config,
  type Env,
  type EnvBounds,
  type FarmForecast,
  type ResetOptions,
  type ResetResult,
  type StepInfo,
  type StepResult,
} from '@autofarm/core';
import { reserveActions, type ReserveActions } from './actions.js';
import { GeneralController } from './controller.js';
import { CostReward } from './cost.js';
import { atCadence, randomEpisodeConfig } from './domain.js';
import { FEATURE_NAMES, type FarmReading } from './features.js';

export type EnvFactory = (config: Config) => Env | Promise<Env>;

/** The learners' action space over the reserves: index i is reserve i. */
export function reserveSpace(actions: ReserveActions): DiscreteSpace {
  return new DiscreteSpace(actions.n);
}

export const FEATURE_SPACE = new BoxSpace([0, -2, 0, 0, 0, 0, 0, 0, 0, 0], [5, 2, 20, 1, 20, 1, 20, 5, 5, 1], FEATURE_NAMES);

export interface GeneralEnvOptions {
  /** false: every episode runs `config` as it is (the features, actions and prices still apply). Default true. */
  randomize?: boolean;
}

export class GeneralTrainingEnv implements Env {
  readonly observationSpace = FEATURE_SPACE;
  readonly actionSpace: DiscreteSpace;
  readonly deterministic = true;
  readonly actions: ReserveActions;
  private inner: Env | null = null;
  private readonly controller: GeneralController;
  private readonly cost: CostReward;
  /** The configuration of the current episode. */
  episodeConfig: Config;

  constructor(
    readonly config: Config,
    private readonly makeEnv: EnvFactory,
    private readonly options: GeneralEnvOptions = {},
  ) {
    this.actions = reserveActions(config);
    this.controller = new GeneralController(this.actions);
    this.actionSpace = reserveSpace(this.actions);
    this.cost = new CostReward(config.general.miss_price);
    this.episodeConfig = config;
  }

  get bounds(): EnvBounds {
    const s = this.episodeConfig.scaling;
    return {
      minWorkers: s.min_workers,
      maxWorkers: s.max_workers,
      stepDuration: this.episodeConfig.episode.step_duration,
      // a reserve may move the count anywhere in the range
      maxDelta: s.max_workers - s.min_workers,
    };
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (options.seed === undefined) throw new Error('GeneralTrainingEnv.reset needs a seed (the episode workload is drawn from it)');
    await this.inner?.close();
    this.episodeConfig = this.options.randomize === false ? atCadence(this.config) : randomEpisodeConfig(this.config, options.seed);
    this.inner = await this.makeEnv(this.episodeConfig);
    const r = await this.inner.reset(options);
    this.controller.reset();
    this.cost.reset(r.info);
    return { observation: this.controller.features(r.observation, this.inner.bounds, reading(r.info)), info: r.info };
  }

  async step(action: number): Promise<StepResult> {
    if (!this.inner) throw new Error('GeneralTrainingEnv.step called before reset()');
    if (!this.actionSpace.contains(action))
      throw new RangeError(`GeneralTrainingEnv.step: expected a reserve index in [0, ${this.actions.n}), found ${action}`);
    const r = await this.inner.step(this.controller.delta(action, this.inner.bounds));
    const ended = r.terminated || r.truncated;
    const reward = this.cost.step(r.info, this.inner.bounds, ended);
    return { ...r, reward, observation: this.controller.features(r.observation, this.inner.bounds, reading(r.info)) };
  }

  /**
   * Common random numbers (training only): the reward of each action over the next `horizon`
   * seconds, every one on a fork of the farm that shares the realised future (arrival and task
   * times), so the differences between actions carry no arrival noise. Each fork holds the count
   * the action asks for now (no later decisions), which makes the comparison myopic by design.
   * Rewards are −(worker-seconds + miss_price × new misses) / (max_workers × horizon), centred on
   * their mean over the actions. Null when the inner env cannot fork (backends other than sim).
   */
  actionRewards(horizon: number): number[] | null {
    const fork = this.inner ? forkOf(this.inner) : undefined;
    if (!this.inner || !fork) return null;
    const bounds = this.inner.bounds;
    const price = this.config.general.miss_price;
    // reserves that ask for the same count share one fork: the simulator is deterministic
    const byTarget = new Map<number, number>();
    const costs = Array.from({ length: this.actions.n }, (_, a) => {
      const target = this.controller.target(a, bounds);
      const known = byTarget.get(target);
      if (known !== undefined) return known;
      const f = fork();
      const [ws, late] = [f.workerSeconds(), f.late()];
      f.scale(target);
      f.advance(horizon);
      const cost = f.workerSeconds() - ws + price * (f.late() - late);
      byTarget.set(target, cost);
      return cost;
    });
    const mean = costs.reduce((s, c) => s + c, 0) / costs.length;
    return costs.map((c) => -(c - mean) / (bounds.maxWorkers * horizon));
  }

  async close(): Promise<void> {
    await this.inner?.close();
    this.inner = null;
  }
}

/** The farm copier of `env` or of the env it wraps (FarmEnv's `forecast`; RecordEpisodeStatistics wraps it as `env`). */
function forkOf(env: Env): (() => FarmForecast) | undefined {
  const e = env as { forecast?: () => FarmForecast; env?: Env };
  return e.forecast ?? (e.env ? forkOf(e.env) : undefined);
}

/** What the feature transform reads of a step's info. */
function reading(info: StepInfo): FarmReading {
  return { time: info.time, enqueuedTotal: info.enqueuedTotal, busyWorkers: info.metrics.busyWorkers };
}
