/**
 * The general agents' actions and the `reserve` baseline: reserves over a queueing-model sizing
 * (one implementation for both, so a reserve held fixed is exactly one of the agents' actions).
 * `sized` is the fewest workers the M/G/c deadline model (queueing.ts) expects to miss at most
 * 0.1 % of the deadlines at the measured rate; action g keeps a share g of the range above it:
 *
 *   sized   = minWorkers(rate, Gamma(mean = service, shape k), 0.999)
 *   base    = sized + ceil(g × (max_workers − sized))
 *   total   = minWorkers(rate + worker_q / DRAIN_SECONDS, ...) + the same reserve
 *
 * Scaling down is rate-limited and batched (ReserveSizer); scaling up is not. Why a queueing model,
 * why a share of the unused range, and the measurements: docs/general-training.md, "What it can do".
 */
import { gammaLaplace, minWorkers, type ServiceProfile } from './queueing.js';

/** What the sizing assumes of the tasks: the gamma shape of the task time and the deadline as a multiple of it. */
export interface SizingAssumptions {
  serviceShape: number;
  deadlineCoefficient: number;
}

/** The share of deadlines the base sizing aims to meet at the measured rate. */
export const SIZING_QOS = 0.999;
/** Seconds within which the sizing plans to drain the current queue. */
export const DRAIN_SECONDS = 4;

/** The load the actions size for: arrivals per second, tasks waiting, mean task time (FeatureTransform). */
export interface LoadEstimate {
  rate: number;
  queue: number;
  service: number;
}

/**
 * Gamma(k) task times with mean `mean` and deadlines at coefficient × the task time: the slack
 * (coefficient − 1) × S is Gamma(k) too, so E[e^{−θ·slack}] = (1 + θ·(coefficient − 1)·mean/k)^{−k}.
 */
export function gammaServiceProfile(mean: number, a: SizingAssumptions): ServiceProfile {
  const k = a.serviceShape;
  const slack = Math.max(0, a.deadlineCoefficient - 1);
  return { mean, scv: 1 / k, missFloor: slack > 0 ? 0 : 1, slackLaplace: gammaLaplace(k, (slack * mean) / k) };
}

export class ReserveActions {
  readonly n: number;

  /**
   * `reserves`: shares in [0, 1], one action each (the agents choose among several, the `reserve`
   * baseline holds one); `scaleDownLimit`: the largest share of the workers one decision may
   * remove; `field`: the configuration field errors name.
   */
  constructor(
    readonly reserves: readonly number[],
    readonly scaleDownLimit: number,
    readonly sizing: SizingAssumptions,
    field = 'general.action_reserves',
  ) {
    if (reserves.length < 1) throw new RangeError(`${field}: need at least 1 action`);
    const bad = reserves.find((g) => !(typeof g === 'number' && g >= 0 && g <= 1));
    if (bad !== undefined) throw new RangeError(`${field}: expected shares in [0, 1], found ${JSON.stringify(bad)}`);
    // sorted, so a greedy tie (DiscreteSpace's middle index) is the median reserve, neither the leanest nor the safest
    if (reserves.some((g, i) => i > 0 && g <= (reserves[i - 1] as number)))
      throw new RangeError(`${field}: expected strictly increasing shares, found [${reserves.join(', ')}]`);
    this.n = reserves.length;
  }

  /** Workers for action `index`: `base` sized for the arrivals with the reserve, `total` with the queue drain added. */
  sizes(index: number, load: LoadEstimate, bounds: { minWorkers: number; maxWorkers: number }): { base: number; total: number } {
    const g = this.reserves[index];
    if (g === undefined) throw new RangeError(`ReserveActions: no action ${index} (have ${this.n})`);
    const profile = gammaServiceProfile(Math.max(1e-3, load.service), this.sizing);
    const range = { min: bounds.minWorkers, max: bounds.maxWorkers };
    const rate = Math.max(0, load.rate);
    const sized = minWorkers(rate, profile, SIZING_QOS, range);
    const reserve = Math.ceil(g * (range.max - sized) - 1e-9);
    const base = Math.min(range.max, sized + reserve);
    const queue = Math.max(0, load.queue);
    if (queue <= 0) return { base, total: base };
    return { base, total: Math.min(range.max, minWorkers(rate + queue / DRAIN_SECONDS, profile, SIZING_QOS, range) + reserve) };
  }
}

/**
 * A decision sheds workers only once the count exceeds its target by this share of the workers
 * (at least one), so scale-downs come in batches. Measured with reserve 0.45 on 40 validation
 * workloads: without it 55 % of the 2 s decisions changed the count, with it 25 %, at +0.08 pp
 * QoS, +2.6 % worker-seconds and −1.1 % cost at the miss price (a scale call every ~4 s on a live
 * cluster otherwise).
 */
export const SCALE_DOWN_BATCH = 0.1;

/**
 * The stateful side of the actions, one per episode: the scale-down limit applies to the base
 * (`held`, which falls by at most `scaleDownLimit` per decision), while the workers added to
 * drain a queue leave as soon as the queue is gone; scale-downs wait for SCALE_DOWN_BATCH.
 */
export class ReserveSizer {
  private held: number | null = null;

  constructor(readonly actions: ReserveActions) {}

  reset(): void {
    this.held = null;
  }

  /** Worker delta of action `index`; 0 while nothing has been measured (load null). */
  delta(index: number, workers: number, load: LoadEstimate | null, bounds: { minWorkers: number; maxWorkers: number }): number {
    if (load === null) return 0;
    const { base, total } = this.actions.sizes(index, load, bounds);
    this.held = this.lowered(base, this.held ?? workers);
    const delta = Math.max(this.held, total) - workers;
    return delta < 0 && -delta < Math.max(1, Math.floor(SCALE_DOWN_BATCH * workers)) ? 0 : delta;
  }

  /**
   * The count action `index` moves `workers` toward, as from a fresh episode and without
   * remembering it (no held base, no batching): training compares every action from one state
   * on forks of the farm. The current count while nothing has been measured.
   */
  target(index: number, workers: number, load: LoadEstimate | null, bounds: { minWorkers: number; maxWorkers: number }): number {
    if (load === null) return workers;
    const { base, total } = this.actions.sizes(index, load, bounds);
    return Math.max(this.lowered(base, workers), total);
  }

  /** The base after one decision from `previous`: up to `base` at once, down by at most the scale-down limit. */
  private lowered(base: number, previous: number): number {
    return Math.max(base, previous - Math.max(1, Math.floor(this.actions.scaleDownLimit * previous)));
  }
}
