/**
 * A general agent as a Policy: the GeneralController (features, then the delta of the reserve the
 * agent's greedy index picks), reading the range from the policy context and the arrivals counter
 * and busy workers from its signals. It decides every `cadence` seconds, the cadence it was
 * trained at (native actuation pauses the env inside its step). `reset` clears the controller, so
 * evaluation and compare-policies treat it like any baseline.
 */
import type { Observation, Policy, PolicyContext } from '@autofarm/core';
import type { ReserveActions } from './actions.js';
import { GeneralController } from './controller.js';

export class GeneralPolicy implements Policy {
  private readonly controller: GeneralController;

  constructor(
    readonly name: string,
    private readonly greedyIndex: (features: number[]) => number,
    readonly actions: ReserveActions,
    readonly cadence: number,
  ) {
    this.controller = new GeneralController(actions);
  }

  reset(): void {
    this.controller.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const { time, signals } = ctx;
    const features = this.controller.features(observation, ctx, {
      time,
      enqueuedTotal: signals.enqueuedTotal,
      busyWorkers: signals.busyWorkers,
    });
    return this.controller.delta(this.greedyIndex(features), ctx);
  }
}
