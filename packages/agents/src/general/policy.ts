/**
 * A general agent as a Policy: features of the observation (with the range from the policy
 * context), the agent's greedy action index, then the worker delta of that action. Stateful only
 * through the feature transform (the previous arrival rate and the task-time estimate), which
 * `reset` clears, so evaluation and compare-policies treat it like any baseline.
 */
import type { Observation, Policy, PolicyContext } from '@autofarm/core';
import { TargetActions } from './actions.js';
import { FeatureTransform } from './features.js';

export class GeneralPolicy implements Policy {
  private readonly transform = new FeatureTransform();

  constructor(
    readonly name: string,
    private readonly greedyIndex: (features: number[]) => number,
    readonly actions: TargetActions,
  ) {}

  reset(): void {
    this.transform.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const features = this.transform.apply(observation, ctx);
    const t = this.transform;
    return this.actions.delta(this.greedyIndex(features), observation, t.sizingRate, t.serviceEstimate, ctx.stepDuration);
  }
}
