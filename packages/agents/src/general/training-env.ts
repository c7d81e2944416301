/**
 * The general training environment: an Env wrapper that, at every reset, builds the episode's
 * farm from the seed (domain.ts), and then shows the agent the load features (features.ts), takes
 * an action index of the target-utilisation action set (actions.ts) and pays the cost reward
 * (cost.ts). trainSarsa and trainDqn run on it unchanged: to them it is an env whose action
 * space is the index set {-k..k} (index − k) and whose observation is the feature vector.
 *
 * The inner env comes from an injected factory, so agents still import core only.
 */
import {
  BoxSpace,
  DeltaSpace,
  type Config,
  type Env,
  type EnvBounds,
  type ResetOptions,
  type ResetResult,
  type StepResult,
} from '@autofarm/core';
import { TargetActions } from './actions.js';
import { CostReward } from './cost.js';
import { randomEpisodeConfig } from './domain.js';
import { FEATURE_NAMES, FeatureTransform } from './features.js';

export type EnvFactory = (config: Config) => Env | Promise<Env>;

/** The index space of a proportional action set with the no-op in the middle. */
export function indexSpace(actions: TargetActions): DeltaSpace {
  const k = (actions.n - 1) / 2;
  if (!Number.isInteger(k) || actions.hold !== k) {
    throw new RangeError(
      `general.action_targets: expected an odd number of actions with the hold (0) in the middle, found [${actions.targets.join(', ')}]`,
    );
  }
  return new DeltaSpace(k);
}

export const FEATURE_SPACE = new BoxSpace([0, -2, 0, 0, 0, 0, 0], [5, 2, 20, 1, 20, 1, 5], FEATURE_NAMES);

export interface GeneralEnvOptions {
  /** false: every episode runs `config` as it is (the features, actions and prices still apply). Default true. */
  randomize?: boolean;
}

export class GeneralTrainingEnv implements Env {
  readonly observationSpace = FEATURE_SPACE;
  readonly actionSpace: DeltaSpace;
  readonly deterministic = true;
  readonly actions: TargetActions;
  private inner: Env | null = null;
  private readonly transform = new FeatureTransform();
  private readonly cost: CostReward;
  private last: number[] = [];
  /** The configuration of the current episode. */
  episodeConfig: Config;

  constructor(
    readonly config: Config,
    private readonly makeEnv: EnvFactory,
    private readonly options: GeneralEnvOptions = {},
  ) {
    this.actions = new TargetActions(config.general.action_targets, config.general.scale_down_limit);
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
    this.episodeConfig = this.options.randomize === false ? this.config : randomEpisodeConfig(this.config, options.seed);
    this.inner = await this.makeEnv(this.episodeConfig);
    const r = await this.inner.reset(options);
    this.transform.reset();
    this.cost.reset(r.info);
    this.last = r.observation;
    return { observation: this.transform.apply(r.observation, this.inner.bounds), info: r.info };
  }

  async step(action: number): Promise<StepResult> {
    if (!this.inner) throw new Error('GeneralTrainingEnv.step called before reset()');
    const { bounds } = this.inner;
    const t = this.transform;
    const delta = this.actions.delta(this.actionSpace.index(action), this.last, t.sizingRate, t.serviceEstimate, bounds.stepDuration);
    const r = await this.inner.step(delta);
    this.last = r.observation;
    const ended = r.terminated || r.truncated;
    const reward = this.cost.step(r.info, this.inner.bounds, ended);
    return { ...r, reward, observation: this.transform.apply(r.observation, this.inner.bounds) };
  }

  async close(): Promise<void> {
    await this.inner?.close();
    this.inner = null;
  }
}
