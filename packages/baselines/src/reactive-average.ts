/**
 * ReactiveAverage (reference §8): the analytical FARM rule with the window's AVERAGE latency as
 * the service time and half weight on busy workers (adjustment 0.5).
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component } from './common.js';
import { reactiveDecision, type ReactiveParameters } from './reactive-rule.js';

export class ReactiveAverage implements Policy {
  readonly name = 'ReactiveAverage';
  readonly parameters: ReactiveParameters;

  constructor(options: { horizon?: number; safetyFactor?: number; adjustmentFactor?: number } = {}) {
    this.parameters = {
      horizon: Math.max(options.horizon ?? 8, 0.1),
      safetyFactor: Math.max(options.safetyFactor ?? 1, 1),
      adjustmentFactor: Math.max(options.adjustmentFactor ?? 0.5, 0),
    };
  }

  reset(): void {
    // Stateless: the enqueued total comes with every decision in ctx.signals.
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const s = Math.max(component(observation, 'avg_time'), 0.1);
    return reactiveDecision(observation, ctx.signals.enqueuedTotal, s, this.parameters).delta;
  }
}

export function createReactiveAverage(config: Config): ReactiveAverage {
  return new ReactiveAverage({ horizon: config.baselines.horizon });
}
