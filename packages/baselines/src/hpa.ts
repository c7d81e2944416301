/**
 * HPA: the Kubernetes HorizontalPodAutoscaler on the farm's in-flight work (anchors §A.1).
 *
 * Metric: in-flight tasks = worker_q + busy workers (queued plus being processed), exposed as an
 * AverageValue metric with target `target_per_worker` per worker, so
 * desired = ceil(current × (inFlight / current) / target) = ceil(inFlight / target).
 * Why this metric: the queue length alone is 0 whenever the farm keeps up, which would tell the
 * HPA to shrink to one worker at any load; adding the busy workers makes the metric the
 * utilisation while the farm keeps up (0.8 = 80 % busy) and 1 + backlog per worker when it
 * does not, like the CPU-utilisation HPAs people actually run.
 *
 * Tolerance, stabilization and sync period are the HPA's (hpa-behaviour.ts). Like the real HPA
 * it ignores processing time and deadlines.
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';
import { averageValueReplicas, HpaBehaviour } from './hpa-behaviour.js';

export interface HpaOptions {
  targetPerWorker: number;
  tolerance: number;
  downscaleStabilization: number;
  syncPeriod: number;
}

export class HpaPolicy implements Policy {
  readonly name = 'HPA';
  private readonly loop: HpaBehaviour;

  constructor(readonly options: HpaOptions) {
    this.loop = new HpaBehaviour({ syncPeriod: options.syncPeriod, tolerance: options.tolerance, downscaleStabilization: options.downscaleStabilization });
  }

  reset(): void {
    this.loop.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const workers = component(observation, 'workers');
    if (this.loop.due(ctx.info.time)) {
      const inFlight = component(observation, 'worker_q') + ctx.info.metrics.busyWorkers;
      this.loop.sync(ctx.info.time, averageValueReplicas(inFlight, this.options.targetPerWorker, workers, this.options.tolerance), ctx);
    }
    return stepToward(workers, this.loop.current ?? workers, ctx);
  }
}

export function createHpa(config: Config): HpaPolicy {
  const h = config.baselines.hpa;
  return new HpaPolicy({ targetPerWorker: h.target_per_worker, tolerance: h.tolerance, downscaleStabilization: h.downscale_stabilization, syncPeriod: h.sync_period });
}
