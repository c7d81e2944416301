/**
 * The environment contract, shaped like Gymnasium's Env (async, objects instead of tuples).
 *
 * Invariants every implementation keeps (checked by env's `checkEnv`):
 * - The seed is given once, at `reset`. Same seed, same deterministic backend, same actions
 *   => the same observations, rewards and infos.
 * - `step` before the first `reset`, or after an episode ended, throws.
 * - `terminated` means the MDP reached its terminal state: every task of the episode was
 *   collected. `truncated` means the episode was cut off from outside (the step limit).
 *   Learners bootstrap through `truncated` and stop at `terminated`.
 * - Observations have the 9 components of OBSERVATION_NAMES, in that order and unit.
 */
import type { EnvBounds } from './actuation.js';
import type { FarmForecast } from './policy.js';
import type { ActionSpace, BoxSpace } from './spaces.js';
import type { WindowMetrics } from './metrics.js';

/** Observation components, same order and units as the original (reference §7.6). */
export const OBSERVATION_NAMES = [
  'input_q',
  'worker_q',
  'result_q',
  'output_q',
  'workers',
  'avg_time',
  'max_time',
  'arrival_rate',
  'qos_rate',
] as const;
export type ObservationName = (typeof OBSERVATION_NAMES)[number];
export type Observation = number[];

export interface StepInfo {
  /** 1-based step index (0 after reset). */
  step: number;
  /** Seconds since the episode started (backend clock). */
  time: number;
  requestedDelta: number;
  appliedDelta: number;
  workers: number;
  /** Time-weighted mean of the actuator's count over this step (it changes inside a step only at pauses). */
  meanWorkers: number;
  queueLength: number;
  qosRate: number;
  /** Running QoS of the collected tasks: met / collected (1 before any collection), like the original's final_qos_total. */
  episodeQos: number;
  totalReward: number;
  /** Steps so far whose applied delta was non-zero. */
  scalingActions: number;
  /** Collected tasks that missed their deadline so far. */
  qosViolations: number;
  processedTasks: number;
  enqueuedTotal: number;
  /** Tasks generated in the episode and not collected when it ended (0 before the end). */
  unfinishedTasks: number;
  /**
   * Final QoS on the ending step, else null: met / tasks generated in the episode, so unfinished
   * tasks count as misses (tasks planned after a truncation never arrived and do not count).
   */
  episodeFinalQos: number | null;
  /** The backend's raw window metrics of this step. */
  metrics: WindowMetrics;
  /** Latencies of the tasks collected in this step's window, seconds. */
  latencies: number[];
}

export interface ResetResult {
  observation: Observation;
  info: StepInfo;
}

export interface StepResult {
  observation: Observation;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

export interface ResetOptions {
  seed?: number;
  options?: {
    /** Override the initial worker count for this episode. */
    initialWorkers?: number;
  };
}

/**
 * Decisions inside one step: native actuation of a policy whose cadence is shorter than the step
 * (KPA's 2 s tick) or not aligned with it (HPA's 15 s sync on 8 s steps). The step's observation,
 * reward and record stay those of the whole step.
 */
export interface StepPauses {
  /** Seconds after the step's start at which to decide again: ascending, each in (0, step duration). */
  at: readonly number[];
  /** Sees what a policy would observe at the pause; returns a worker delta, applied at once. */
  decide(observation: Observation, info: StepInfo): number;
}

export interface Env {
  readonly observationSpace: BoxSpace;
  /** The learners' action set (±scaling.max_delta). `step` accepts any integer delta: the actuator clamps the count to its range. */
  readonly actionSpace: ActionSpace;
  /** Range, step length and max_delta: what a driver builds a policy's context from. */
  readonly bounds: EnvBounds;
  /** False for backends whose timing is real (local, openfaas): checkEnv then skips determinism. */
  readonly deterministic: boolean;
  reset(options?: ResetOptions): Promise<ResetResult>;
  /** `action` is an integer worker delta (a learner's lies in actionSpace); `pauses` decides again inside the step. */
  step(action: number, pauses?: StepPauses): Promise<StepResult>;
  /** A copy of the farm as it is now, on the episode's realized future; only deterministic backends (sim) have it. */
  forecast?(): FarmForecast;
  close(): Promise<void>;
}
