/**
 * ReactiveMaximum (reference §8): the analytical FARM rule with the window's MAXIMUM latency as
 * the service time and full weight on busy workers (adjustment clamped to at least 1).
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component } from './common.js';
import { reactiveDecision, type ReactiveParameters } from './reactive-rule.js';

export class ReactiveMaximum implements Policy {
  readonly name = 'ReactiveMaximum';
  readonly parameters: ReactiveParameters;

  constructor(options: { horizon?: number; safetyFactor?: number; adjustmentFactor?: number } = {}) {
    this.parameters = {
      horizon: Math.max(options.horizon ?? 8, 0.1),
      safetyFactor: Math.max(options.safetyFactor ?? 1, 1),
      adjustmentFactor: Math.max(options.adjustmentFactor ?? 1, 1),
    };
  }

  reset(): void {
    // Stateless: the enqueued total comes with every decision in ctx.signals.
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const s = Math.max(component(observation, 'max_time'), component(observation, 'avg_time'), 0.1);
    return reactiveDecision(observation, ctx.signals.enqueuedTotal, s, this.parameters).delta;
  }
}

export function createReactiveMaximum(config: Config): ReactiveMaximum {
  return new ReactiveMaximum({ horizon: config.baselines.horizon });
}
