/**
 * HPA: the Kubernetes HorizontalPodAutoscaler on the farm's in-flight work (anchors §A.1).
 *
 * Metric: in-flight tasks = queued + busy workers (ctx.signals), exposed as an AverageValue metric
 * with target `target_per_worker` per worker, so desired = ceil(inFlight / target).
 * Why this metric: the queue length alone is 0 whenever the farm keeps up, which would tell the
 * HPA to shrink to one worker at any load; adding the busy workers makes the metric the
 * utilisation while the farm keeps up (0.8 = 80 % busy) and 1 + backlog per worker when it
 * does not, like the CPU-utilisation HPAs people actually run.
 *
 * Tolerance, stabilization, rate limits and sync period are the HPA's (hpa-behaviour.ts). It
 * decides every sync period (15 s). Like the real HPA it ignores processing time and deadlines.
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';
import { averageValueReplicas, HpaBehaviour, type HpaBehaviourOptions } from './hpa-behaviour.js';

/** The replica count an HPA loop wants at each decision, from its metric (in-flight work for `hpa`, LLEN for `keda`). */
export abstract class HpaLoopPolicy implements Policy {
  abstract readonly name: string;
  readonly cadence: number;
  private readonly loop: HpaBehaviour;
  private target: number | null = null;

  constructor(loop: HpaBehaviourOptions) {
    this.loop = new HpaBehaviour(loop);
    this.cadence = loop.syncPeriod;
  }

  /** The replica calculator's recommendation for the current metric. */
  protected abstract recommend(observation: Observation, ctx: PolicyContext, workers: number): number;

  reset(): void {
    this.loop.reset();
    this.target = null;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const workers = component(observation, 'workers');
    if (this.loop.due(ctx.time)) this.target = this.loop.sync(ctx.time, this.recommend(observation, ctx, workers), workers, ctx);
    // Between syncs (only under `step` actuation, which decides every step) keep moving toward the last result.
    return stepToward(workers, this.target ?? workers);
  }
}

export interface HpaOptions extends HpaBehaviourOptions {
  targetPerWorker: number;
}

export class HpaPolicy extends HpaLoopPolicy {
  readonly name = 'HPA';

  constructor(readonly options: HpaOptions) {
    super(options);
  }

  protected recommend(_observation: Observation, ctx: PolicyContext, workers: number): number {
    const inFlight = ctx.signals.queueLength + ctx.signals.busyWorkers;
    return averageValueReplicas(inFlight, this.options.targetPerWorker, workers, this.options.tolerance);
  }
}

/** The HPA loop settings of `baselines.hpa` (KEDA's HPA shares them). */
export function hpaLoopOptions(config: Config): HpaBehaviourOptions {
  const h = config.baselines.hpa;
  return { syncPeriod: h.sync_period, tolerance: h.tolerance, behavior: h.behavior };
}

export function createHpa(config: Config): HpaPolicy {
  return new HpaPolicy({ ...hpaLoopOptions(config), targetPerWorker: config.baselines.hpa.target_per_worker });
}
