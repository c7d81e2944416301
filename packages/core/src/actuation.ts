/**
 * Actuation: when a policy's decisions happen and how far each may move the worker count. A
 * decision is bounded twice, by two different rules, each in one place: the driver (evaluate.ts)
 * limits the delta with limitDelta (how far one decision may move), the backend's actuator clamps
 * the count with clampWorkers (the range). Policies bound nothing (docs/architecture.md §5).
 *
 * - `native` (default): each policy decides at its own cadence (Policy.cadence: HPA every 15 s,
 *   KPA every 2 s, ...) and may ask for any count in the range; a platform's own rate limits
 *   (HPA scaling policies, KPA's max scale-down rate) live inside that policy.
 * - `step`: the original experiment's setting: one decision per env step, at most
 *   ±scaling.max_delta each (±1 per 8 s by default), whatever the policy.
 */
import type { Policy } from './policy.js';

export const ACTUATIONS = ['native', 'step'] as const;
export type Actuation = (typeof ACTUATIONS)[number];

/** What an env tells its driver about itself (the policy context is built from this, not from a config). */
export interface EnvBounds {
  minWorkers: number;
  maxWorkers: number;
  /** Seconds per env step. */
  stepDuration: number;
  /** scaling.max_delta: the learners' action set is ±maxDelta, and `step` actuation's limit. */
  maxDelta: number;
}

/** Clamp a worker count into [minWorkers, maxWorkers]. */
export function clampWorkers(workers: number, range: { minWorkers: number; maxWorkers: number }): number {
  return Math.min(range.maxWorkers, Math.max(range.minWorkers, workers));
}

/** Largest |delta| one decision may apply: the whole range under `native`, max_delta under `step`. */
export function decisionLimit(actuation: Actuation, bounds: EnvBounds): number {
  return actuation === 'step' ? bounds.maxDelta : bounds.maxWorkers - bounds.minWorkers;
}

/** Seconds between `policy`'s decisions: its own cadence under `native`, the env step under `step`. */
export function decisionCadence(policy: Pick<Policy, 'cadence'>, actuation: Actuation, bounds: EnvBounds): number {
  return actuation === 'native' && policy.cadence !== undefined ? policy.cadence : bounds.stepDuration;
}

/** `delta` limited to ±limit (never -0: records compare actions with ===). E.g. limitDelta(-5, 1) = -1. */
export function limitDelta(delta: number, limit: number): number {
  const limited = Math.max(-limit, Math.min(limit, delta));
  return limited === 0 ? 0 : limited;
}
