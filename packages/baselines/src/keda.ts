/**
 * KEDA: the Redis-list scaler feeding an HPA (anchors §A.2; kedacore/keda
 * pkg/scalers/redis_scaler.go). The metric is LLEN(worker_queue) as an AverageValue external
 * metric with target `list_length` per replica, so desired = ceil(LLEN / list_length), through the
 * same HPA behaviour as `hpa` (tolerance, stabilization window, sync period: hpa-behaviour.ts).
 *
 * KEDA reads the list every `polling_interval` (30 s) and the HPA uses that cached value at its
 * own syncs (KEDA's `useCachedMetrics: true`); set polling_interval = hpa.sync_period to model a
 * live read on every HPA sync. With 8 s steps the list is read at t = 0, 32, 64, ... s.
 * min_workers >= 1, so KEDA's 0 <-> 1 activation never comes into play.
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';
import { averageValueReplicas, HpaBehaviour } from './hpa-behaviour.js';

export interface KedaOptions {
  listLength: number;
  pollingInterval: number;
  downscaleStabilization: number;
  /** The cluster's HPA settings (the HPA KEDA creates shares them). */
  tolerance: number;
  syncPeriod: number;
}

export class KedaPolicy implements Policy {
  readonly name = 'KEDA';
  private readonly loop: HpaBehaviour;
  private lastPoll: number | null = null;
  private cachedLength = 0;

  constructor(readonly options: KedaOptions) {
    this.loop = new HpaBehaviour({ syncPeriod: options.syncPeriod, tolerance: options.tolerance, downscaleStabilization: options.downscaleStabilization });
  }

  reset(): void {
    this.loop.reset();
    this.lastPoll = null;
    this.cachedLength = 0;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const time = ctx.info.time;
    if (this.lastPoll === null || time - this.lastPoll >= this.options.pollingInterval - 1e-9) {
      this.cachedLength = component(observation, 'worker_q');
      this.lastPoll = time;
    }
    const workers = component(observation, 'workers');
    if (this.loop.due(time)) {
      this.loop.sync(time, averageValueReplicas(this.cachedLength, this.options.listLength, workers, this.options.tolerance), ctx);
    }
    return stepToward(workers, this.loop.current ?? workers, ctx);
  }
}

export function createKeda(config: Config): KedaPolicy {
  const k = config.baselines.keda;
  const h = config.baselines.hpa;
  return new KedaPolicy({ listLength: k.list_length, pollingInterval: k.polling_interval, downscaleStabilization: k.downscale_stabilization, tolerance: h.tolerance, syncPeriod: h.sync_period });
}
