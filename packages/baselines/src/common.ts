/**
 * Small pieces every baseline shares: reading an observation component by name, and the delta
 * toward a desired count. A baseline never bounds that delta: the driver limits it to the
 * decision's ±ctx.maxDelta and the backend's actuator clamps the count to its range
 * (docs/architecture.md §5).
 */
import { clampWorkers, OBSERVATION_NAMES, type Observation, type ObservationName } from '@autofarm/core';

export { clampWorkers };

/** The component `name` of an observation (reference §7.6 order); 0 if missing. */
export function component(observation: Observation, name: ObservationName): number {
  return observation[OBSERVATION_NAMES.indexOf(name)] ?? 0;
}

/** The delta from `current` to `desired`, both rounded (never -0: records compare actions with ===). E.g. 12 -> 4.4: -8. */
export function stepToward(current: number, desired: number): number {
  const delta = Math.round(desired) - Math.round(current);
  return delta === 0 ? 0 : delta;
}
