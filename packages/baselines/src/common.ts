/**
 * Small pieces every baseline shares: reading an observation component by name, and moving the
 * worker count toward a desired count within the decision's limit (ctx.maxDelta: the whole range
 * under native actuation, ±scaling.max_delta per step under `step`).
 */
import { clampWorkers, limitDelta, OBSERVATION_NAMES, type Observation, type ObservationName, type PolicyContext } from '@autofarm/core';

export { clampWorkers };

/** The component `name` of an observation (reference §7.6 order); 0 if missing. */
export function component(observation: Observation, name: ObservationName): number {
  return observation[OBSERVATION_NAMES.indexOf(name)] ?? 0;
}

/**
 * The delta that moves `current` toward `desired` (clamped to the actuator's range) by at most
 * maxDelta. E.g. current 12, desired 4, maxDelta 1 -> -1; maxDelta 31 -> -8; desired 12 -> 0.
 */
export function stepToward(current: number, desired: number, ctx: Pick<PolicyContext, 'minWorkers' | 'maxWorkers' | 'maxDelta'>): number {
  return limitDelta(clampWorkers(Math.round(desired), ctx) - Math.round(current), ctx.maxDelta);
}
