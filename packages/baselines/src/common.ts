/**
 * Small pieces every baseline shares: reading an observation component by name, and moving the
 * worker count toward a desired count within the env's ±maxDelta-per-step limit.
 */
import { OBSERVATION_NAMES, type Observation, type ObservationName, type PolicyContext } from '@autofarm/core';

/** The component `name` of an observation (reference §7.6 order); 0 if missing. */
export function component(observation: Observation, name: ObservationName): number {
  return observation[OBSERVATION_NAMES.indexOf(name)] ?? 0;
}

/** Clamp an integer worker count into the actuator's range [minWorkers, maxWorkers]. */
export function clampWorkers(workers: number, ctx: Pick<PolicyContext, 'minWorkers' | 'maxWorkers'>): number {
  return Math.min(ctx.maxWorkers, Math.max(ctx.minWorkers, workers));
}

/**
 * The delta that moves `current` toward `desired` (clamped to the actuator's range) by at most
 * maxDelta. E.g. current 12, desired 4, maxDelta 1 -> -1; current 12, desired 12 -> 0.
 */
export function stepToward(current: number, desired: number, ctx: Pick<PolicyContext, 'minWorkers' | 'maxWorkers' | 'maxDelta'>): number {
  const target = clampWorkers(Math.round(desired), ctx);
  const delta = target - Math.round(current);
  const limited = Math.max(-ctx.maxDelta, Math.min(ctx.maxDelta, delta));
  return limited === 0 ? 0 : limited; // never -0: records compare actions with ===
}
