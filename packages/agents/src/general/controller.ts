/**
 * The general controller: what a general agent does at each decision, one object for training
 * (GeneralTrainingEnv) and deployment (GeneralPolicy): the load features of an observation
 * (features.ts), then, for the reserve the agent picks, the worker delta (actions.ts). Per-episode
 * state (the transform's windows, the sizer's held count) is cleared by `reset`.
 */
import type { Observation } from '@autofarm/core';
import { ReserveSizer, type ReserveActions } from './actions.js';
import { FeatureTransform, type FarmReading, type FeatureBounds } from './features.js';

export class GeneralController {
  private readonly transform = new FeatureTransform();
  private readonly sizer: ReserveSizer;
  private last: Observation = [];

  constructor(readonly actions: ReserveActions) {
    this.sizer = new ReserveSizer(actions);
  }

  reset(): void {
    this.transform.reset();
    this.sizer.reset();
    this.last = [];
  }

  /** The features of `observation`, which the next `delta` decides on. */
  features(observation: Observation, bounds: FeatureBounds, reading: FarmReading): number[] {
    this.last = observation;
    return this.transform.apply(observation, bounds, reading);
  }

  /** Workers reserve `index` asks for at the last observation, leaving the sizer's state alone (ReserveSizer.target). */
  target(index: number, bounds: FeatureBounds): number {
    return this.sizer.target(index, this.last[4] as number, this.transform.estimate(this.last), bounds);
  }

  /** Worker delta of reserve `index` at the last observation (0 before anything was measured). */
  delta(index: number, bounds: FeatureBounds): number {
    return this.sizer.delta(index, this.last[4] as number, this.transform.estimate(this.last), bounds);
  }
}
