/**
 * A general agent as a Policy: features of the observation (with the range from the policy
 * context and the arrivals counter from its signals), the agent's greedy action index, then the
 * worker delta of that action. It decides every `cadence` seconds (native actuation pauses the env
 * inside its step), the cadence it was trained at. Stateful only through the feature transform and
 * the sizer's held count, which `reset` clears, so evaluation and compare-policies treat it like any baseline.
 */
import type { Observation, Policy, PolicyContext } from '@autofarm/core';
import { ReserveSizer, type ReserveActions } from './actions.js';
import { FeatureTransform } from './features.js';

export class GeneralPolicy implements Policy {
  private readonly transform = new FeatureTransform();
  private readonly sizer: ReserveSizer;

  constructor(
    readonly name: string,
    private readonly greedyIndex: (features: number[]) => number,
    readonly actions: ReserveActions,
    readonly cadence: number,
  ) {
    this.sizer = new ReserveSizer(actions);
  }

  reset(): void {
    this.transform.reset();
    this.sizer.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const features = this.transform.apply(observation, ctx, {
      time: ctx.time,
      enqueuedTotal: ctx.signals.enqueuedTotal,
      busyWorkers: ctx.signals.busyWorkers,
    });
    return this.sizer.delta(this.greedyIndex(features), observation[4] as number, this.transform.estimate(observation), ctx);
  }
}
