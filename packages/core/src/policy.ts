/**
 * The policy contract shared by learned agents and baselines, so evaluation has no special
 * cases. A policy is pure apart from the state it declares: `act` depends only on the
 * observation, the context and what `reset` cleared. Applying the decision is the backend's job.
 */
import type { Observation, StepInfo } from './env.js';

/** What the workload will do: given only to the clairvoyant oracle. */
export interface WorkloadSchedule {
  /** Expected arrival rate (tasks/s) at `time` seconds after the episode start. */
  rateAt(time: number): number;
  /** Seconds the whole emission lasts. */
  duration: number;
}

export interface PolicyContext {
  /** The info of the step that produced `observation` (the reset's info for the first decision). */
  info: StepInfo;
  /** Seconds between decisions. */
  stepDuration: number;
  /** Largest |delta| the env accepts. */
  maxDelta: number;
  minWorkers: number;
  maxWorkers: number;
  /** Present only for policies that declare `clairvoyant: true`. */
  schedule?: WorkloadSchedule;
}

export interface Policy {
  /** Display name used in tables and plots. */
  readonly name: string;
  /** True if the policy must be given the workload's schedule (the oracle). */
  readonly clairvoyant?: boolean;
  /** Clear per-episode state. */
  reset(): void;
  /** Worker delta in [-maxDelta, +maxDelta]. */
  act(observation: Observation, ctx: PolicyContext): number;
}
