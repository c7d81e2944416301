/**
 * The policy contract shared by learned agents and baselines, so evaluation has no special
 * cases. A policy is pure apart from the state it declares: `act` depends only on the
 * observation, the context and what `reset` cleared. It answers the worker delta it wants and
 * never bounds it: when decisions happen and how far each may move is the driver's (actuation.ts),
 * clamping the count to the range is the backend's actuator's (docs/architecture.md §5).
 */
import type { Observation } from './env.js';

/** What the workload will do: given only to the clairvoyant oracle. */
export interface WorkloadSchedule {
  /** Expected arrival rate (tasks/s) at `time` seconds after the episode start. */
  rateAt(time: number): number;
  /** Seconds the whole emission lasts. */
  duration: number;
}

/**
 * What a platform's metrics pipeline measures and a learned agent does not see: a KPA reads
 * in-flight requests from its queue-proxies, an HPA busy or ready pods, KEDA the list length.
 * Baselines read these here, never from the env's info record.
 */
export interface PlatformSignals {
  /** Workers processing a task now. */
  busyWorkers: number;
  /** Workers able to take a task now (started and not leaving): Kubernetes' ready pods. */
  readyWorkers: number;
  /** Tasks waiting in the worker queue: LLEN(worker_queue). */
  queueLength: number;
  /** Tasks generated so far this episode (the emitter's counter). */
  enqueuedTotal: number;
}

/**
 * A private copy of the farm as it stands at a decision, running on the episode's REALIZED
 * future (the very arrivals and task times still to come): the hindsight yardstick's model.
 * Driving it never touches the episode. Only the deterministic simulator can offer one.
 */
export interface FarmForecast {
  /** Seconds since the episode start on the copy's clock. */
  readonly time: number;
  /** Ask for `workers` (clamped to the range, as the actuator does); returns the count settled on. */
  scale(workers: number): number;
  /** Let `seconds` pass on the copy. */
  advance(seconds: number): void;
  /** Tasks that have missed their deadline so far: collected late, or not collected and already past it. */
  late(): number;
  /** Worker-seconds consumed since the episode start. */
  workerSeconds(): number;
}

/** Gives a hindsight policy forecasts: each call copies the farm as it is now. */
export interface Hindsight {
  fork(): FarmForecast;
}

export interface PolicyContext {
  /** Seconds since the episode start at this decision. */
  time: number;
  /** Step index of the info the observation comes from (0 = the reset's; inside a step, that step's). */
  step: number;
  /** Seconds between env steps (observations, rewards, records). */
  stepDuration: number;
  /** The actuator's range. */
  minWorkers: number;
  maxWorkers: number;
  /**
   * Largest |delta| the driver lets through: the range under native actuation, scaling.max_delta
   * under `step` (for policies that plan with it).
   */
  maxDelta: number;
  signals: PlatformSignals;
  /** Present only for policies that declare `clairvoyant: true`. */
  schedule?: WorkloadSchedule;
  /** Present only for policies that declare `hindsight: true` (and only on the simulator). */
  hindsight?: Hindsight;
}

export interface Policy {
  /** Display name used in tables and plots. */
  readonly name: string;
  /** True if the policy must be given the workload's schedule (the oracle). */
  readonly clairvoyant?: boolean;
  /** True if the policy must be given forecasts of the realized future (the hindsight yardstick). */
  readonly hindsight?: boolean;
  /**
   * Seconds between this policy's decisions under native actuation (a platform's sync period or
   * tick); omitted = one decision per env step. Under `step` actuation every policy decides once per step.
   */
  readonly cadence?: number;
  /** Clear per-episode state. */
  reset(): void;
  /** The worker delta the policy wants, unbounded: the driver limits it to ±ctx.maxDelta, the actuator clamps the count to the range. */
  act(observation: Observation, ctx: PolicyContext): number;
}
