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
  type Observation,
  type ResetOptions,
  type ResetResult,
  type StepInfo,
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
    return { observation, info: this.info(metrics, observation, 0, 0, null) };
  }

  async step(action: number): Promise<StepResult> {
    if (!this.started) throw new Error('FarmEnv.step called before reset()');
    if (this.ended) throw new Error('FarmEnv.step called after the episode ended; call reset()');
    if (!this.actionSpace.contains(action)) {
      throw new RangeError(`FarmEnv.step: action must be an integer in [-${this.actionSpace.maxDelta}, ${this.actionSpace.maxDelta}], got ${String(action)}`);
    }
    const { episode, reward: rewardConfig } = this.config;
    this.step_++;
    const before = this.workers;
    this.workers = action === 0 ? before : await this.backend.scale(before + action);
    const applied = this.workers - before;
    if (applied !== 0) this.scalingActions++;

    const metrics = await this.backend.advance(episode.step_duration, episode.observation_window);
    const observation = observe(metrics, this.mark, episode);
    this.mark = { time: metrics.time, enqueued: metrics.enqueuedTotal };

    let reward = computeReward(observation, applied, rewardConfig, this.initialWorkers);
    const terminated = metrics.generationDone && metrics.collectedTotal >= metrics.tasksPlanned;
    const truncated = !terminated && this.step_ >= episode.max_steps;
    const pending = Math.max(0, metrics.tasksPlanned - metrics.collectedTotal);
    if (terminated) reward += terminalReward('terminated', 0, rewardConfig);
    if (truncated) reward += terminalReward('truncated', pending, rewardConfig);
    this.totalReward += reward;
    this.ended = terminated || truncated;
    const finalQos = this.ended ? (metrics.tasksPlanned > 0 ? metrics.metTotal / metrics.tasksPlanned : 1) : null;
    return {
      observation,
      reward,
      terminated,
      truncated,
      info: this.info(metrics, observation, action, applied, finalQos, this.ended ? pending : 0),
    };
  }

  async close(): Promise<void> {
    this.ended = true;
    await this.backend.stop();
  }

  private info(m: WindowMetrics, obs: Observation, requested: number, applied: number, finalQos: number | null, unfinished = 0): StepInfo {
    return {
      step: this.step_,
      time: m.time,
      requestedDelta: requested,
      appliedDelta: applied,
      workers: m.workers,
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
