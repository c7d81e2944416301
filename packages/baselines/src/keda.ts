/**
 * KEDA: the Redis-list scaler feeding an HPA (anchors §A.2; kedacore/keda
 * pkg/scalers/redis_scaler.go). The metric is LLEN(worker_queue) as an AverageValue external
 * metric with target `list_length` per replica, so desired = ceil(LLEN / list_length), through
 * exactly the HPA of `hpa` (tolerance, stabilization, rate limits, sync period: hpa-behaviour.ts).
 *
 * KEDA's metrics adapter answers the HPA's query at each sync by reading the list, so the HPA
 * sees a live LLEN every 15 s. `polling_interval` (30 s) is KEDA's own loop, which only
 * activates (0 <-> 1 replicas); min_workers >= 1, so it never comes into play here.
 */
import type { Config, Observation, PolicyContext } from '@autofarm/core';
import { HpaLoopPolicy, hpaLoopOptions } from './hpa.js';
import { averageValueReplicas, type HpaBehaviourOptions } from './hpa-behaviour.js';

export interface KedaOptions extends HpaBehaviourOptions {
  listLength: number;
}

export class KedaPolicy extends HpaLoopPolicy {
  readonly name = 'KEDA';

  constructor(readonly options: KedaOptions) {
    super(options);
  }

  protected recommend(_observation: Observation, ctx: PolicyContext, workers: number): number {
    return averageValueReplicas(ctx.signals.queueLength, this.options.listLength, workers, this.options.tolerance);
  }
}

export function createKeda(config: Config): KedaPolicy {
  return new KedaPolicy({ ...hpaLoopOptions(config), listLength: config.baselines.keda.list_length });
}
