/**
 * FarmEnv: the Gymnasium-shaped environment over any Backend. It owns the episode logic the
 * backends share: action validation and clamping, the observation, the reward, termination
 * (every planned task collected) and truncation (episode.max_steps), and the info record.
 */
import {
  DeltaSpace,
  createRng,
  type BoxSpace,
  type Config,
  type Env,
  type EnvBounds,
  type FarmForecast,
  type Observation,
  type ResetOptions,
  type ResetResult,
  type StepInfo,
  type StepPauses,
  type StepResult,
  type WindowMetrics,
} from '@autofarm/core';
import { expectedTaskCount } from '@autofarm/workload';
import type { Backend } from './backend.js';
import { observationSpace, observe, type ArrivalMark } from './observation.js';
import { computeReward, terminalReward } from './reward.js';

export class FarmEnv implements Env {
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DeltaSpace;
  readonly bounds: EnvBounds;
  readonly deterministic: boolean;

  private step_ = 0;
  private workers = 0;
  private initialWorkers = 0;
  private mark: ArrivalMark | null = null;
  private totalReward = 0;
  private scalingActions = 0;
  private ended = true;
  private started = false;
  /** Seed the next reset uses when none is given: drawn from the constructor seed's stream. */
  private readonly seeds;

  constructor(
    readonly config: Config,
    readonly backend: Backend,
  ) {
    this.deterministic = backend.deterministic;
    this.actionSpace = new DeltaSpace(config.scaling.max_delta);
    const { min_workers, max_workers, max_delta } = config.scaling;
    this.bounds = { minWorkers: min_workers, maxWorkers: max_workers, stepDuration: config.episode.step_duration, maxDelta: max_delta };
    this.observationSpace = observationSpace(config, Math.round(expectedTaskCount(config.workload)));
    this.seeds = createRng(config.seed).stream('reset-seeds');
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    const seed = options.seed ?? this.seeds.int(0, 0x7fffffff);
    this.initialWorkers = options.options?.initialWorkers ?? this.config.scaling.initial_workers;
    const metrics = await this.backend.start({ seed, config: this.config, initialWorkers: this.initialWorkers });
    this.started = true;
    this.ended = false;
    this.step_ = 0;
    this.workers = metrics.workers;
    this.totalReward = 0;
    this.scalingActions = 0;
    this.mark = null;
    const observation = observe(metrics, null, this.config.episode);
    this.mark = { time: metrics.time, enqueued: metrics.enqueuedTotal };
    return { observation, info: this.info(metrics, observation, 0, 0, null, metrics.workers) };
  }

  async step(action: number, pauses?: StepPauses): Promise<StepResult> {
    if (!this.started) throw new Error('FarmEnv.step called before reset()');
    if (this.ended) throw new Error('FarmEnv.step called after the episode ended; call reset()');
    if (!Number.isInteger(action)) throw new RangeError(`FarmEnv.step: action must be an integer worker delta, got ${String(action)}`);
    const { episode, reward: rewardConfig } = this.config;
    this.step_++;
    const before = this.workers;
    await this.apply(action);
    // Pauses split the step; the count is integrated over it so meanWorkers is time-weighted.
    let elapsed = 0;
    let workerTime = 0;
    for (const at of pauses?.at ?? []) {
      if (!(at > elapsed && at < episode.step_duration))
        throw new RangeError(`FarmEnv.step: pause at ${at} s is outside (${elapsed}, ${episode.step_duration}) s`);
      workerTime += this.workers * (at - elapsed);
      const m = await this.backend.advance(at - elapsed, episode.observation_window);
      elapsed = at;
      const obs = observe(m, this.mark, episode);
      const delta = (pauses as StepPauses).decide(obs, this.info(m, obs, action, this.workers - before, null, this.workers));
      if (!Number.isInteger(delta))
        throw new RangeError(`FarmEnv.step: a pause's decision must be an integer worker delta, got ${String(delta)}`);
      await this.apply(delta);
    }
    workerTime += this.workers * (episode.step_duration - elapsed);
    const applied = this.workers - before;
    if (applied !== 0) this.scalingActions++;

    const metrics = await this.backend.advance(episode.step_duration - elapsed, episode.observation_window);
    const observation = observe(metrics, this.mark, episode);
    this.mark = { time: metrics.time, enqueued: metrics.enqueuedTotal };

    let reward = computeReward(observation, applied, rewardConfig, this.initialWorkers);
    const terminated = metrics.generationDone && metrics.collectedTotal >= metrics.tasksPlanned;
    const truncated = !terminated && this.step_ >= episode.max_steps;
    // Unfinished = generated in the episode and not collected: a workload that outlasts
    // max_steps (e.g. 1200 s against 40 x 8 s) is scored on the tasks that arrived, not on the
    // ~4300 that never did (issue 22 item 1). For a workload that fits, generated = planned.
    const pending = Math.max(0, metrics.enqueuedTotal - metrics.collectedTotal);
    if (terminated) reward += terminalReward('terminated', 0, rewardConfig);
    if (truncated) reward += terminalReward('truncated', pending, rewardConfig);
    this.totalReward += reward;
    this.ended = terminated || truncated;
    const finalQos = this.ended ? (metrics.enqueuedTotal > 0 ? metrics.metTotal / metrics.enqueuedTotal : 1) : null;
    return {
      observation,
      reward,
      terminated,
      truncated,
      info: this.info(metrics, observation, action, applied, finalQos, workerTime / episode.step_duration, this.ended ? pending : 0),
    };
  }

  /** Ask the actuator for the current count + delta (it clamps to the range); remember what it settled on. */
  private async apply(delta: number): Promise<void> {
    if (delta !== 0) this.workers = await this.backend.scale(this.workers + delta);
  }

  /** The backend's copy of the farm (sim only); undefined when the backend cannot fork. */
  get forecast(): (() => FarmForecast) | undefined {
    const backend = this.backend;
    return backend.fork ? () => (backend.fork as () => FarmForecast)() : undefined;
  }

  async close(): Promise<void> {
    this.ended = true;
    await this.backend.stop();
  }

  private info(
    m: WindowMetrics,
    obs: Observation,
    requested: number,
    applied: number,
    finalQos: number | null,
    meanWorkers: number,
    unfinished = 0,
  ): StepInfo {
    return {
      step: this.step_,
      time: m.time,
      requestedDelta: requested,
      appliedDelta: applied,
      workers: m.workers,
      meanWorkers,
      queueLength: m.workerQueue,
      qosRate: obs[8] as number,
      episodeQos: m.collectedTotal > 0 ? m.metTotal / m.collectedTotal : 1,
      totalReward: this.totalReward,
      scalingActions: this.scalingActions,
      qosViolations: m.collectedTotal - m.metTotal,
      processedTasks: m.collectedTotal,
      enqueuedTotal: m.enqueuedTotal,
      unfinishedTasks: unfinished,
      episodeFinalQos: finalQos,
      metrics: m,
      latencies: m.window.map((t) => t.latency),
    };
  }
}
