/**
 * Static: a fixed worker count, the "provision for the peak and forget" yardstick. It moves toward
 * the count by at most ctx.maxDelta per decision (at once under native actuation), then holds it.
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';

export class StaticPolicy implements Policy {
  readonly name = 'Static';

  constructor(readonly workers: number) {}

  reset(): void {
    // Stateless.
  }

  act(observation: Observation, _ctx: PolicyContext): number {
    return stepToward(component(observation, 'workers'), this.workers);
  }
}

/** baselines.static_workers, or scaling.initial_workers when that is null. */
export function createStatic(config: Config): StaticPolicy {
  return new StaticPolicy(config.baselines.static_workers ?? config.scaling.initial_workers);
}
