/**
 * The general agents' actions: hedges over a queueing-model sizing. Action h sets the fewest
 * workers that the M/G/c deadline model (core's queueing.ts) expects to miss at most 0.1 % of the
 * deadlines if the arrivals were (1 + h) × the measured rate, plus the queue drained within
 * DRAIN_SECONDS:
 *
 *   desired(h) = minWorkers( (1 + h) × rate + worker_q / DRAIN_SECONDS , Gamma(mean = service, shape k), 0.999 )
 *
 * (rate: FeatureTransform's sizing rate, the larger of the last 32 s and the last 4 s; service:
 * its task-time estimate; k and the deadline coefficient: the model's sizing assumptions). The
 * action HOLD keeps the count.
 *
 * Why a queueing sizing rather than target utilisations (the first version: ceil(rate × service
 * / u)): the spare capacity a deadline needs shrinks relative to the load as the farm grows
 * (square-root staffing), so one utilisation target is either too lean on 5 workers or wasteful
 * on 300. The model carries that; what it cannot know is how far the arrivals will rise before a
 * cold start completes, and that is what the agent chooses: the hedge, or to hold the count.
 * Measured with one fixed action on 30 validation workloads (general.domain, never the benchmark),
 * an 8 s env step: utilisation 0.3 decided every 8 s (the first version) 96.3 % QoS at 2.33x
 * hindsight's worker-seconds; this sizing decided every 2 s, hedge 0.5: 96.4 % at 1.73x, hedge 1:
 * 98.1 % at 2.01x.
 *
 * Scaling down is limited to `scaleDownLimit` of the arrivals' count per decision (at least one;
 * HedgeSizer): with decisions every 2 s, 3 % per decision sheds ~11 % per 8 s, so a short lull
 * does not throw away workers a 6 s cold start must bring back (the HPA's scale-down window and
 * the KPA's max scale-down rate have the same asymmetry). Scaling up is not limited: a missed
 * deadline costs more than an idle worker.
 */
import { gammaLaplace, minWorkers, type Config, type ServiceProfile } from '@autofarm/core';

/** What the sizing assumes of the tasks: the gamma shape of the task time and the deadline as a multiple of it. */
export interface SizingAssumptions {
  serviceShape: number;
  deadlineCoefficient: number;
}

/** The share of deadlines the sizing aims to meet at the hedged rate. */
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

/** The action that keeps the worker count (and the sizer's held count) as it is. */
export const HOLD = 'hold';
export type Hedge = number | typeof HOLD;

export class HedgeActions {
  readonly n: number;

  /** `hedges`: numbers ≥ 0 or HOLD, one action each; `scaleDownLimit`: the largest share of the workers one decision may remove. */
  constructor(
    readonly hedges: readonly Hedge[],
    readonly scaleDownLimit: number,
    readonly sizing: SizingAssumptions,
  ) {
    if (hedges.length < 2) throw new RangeError('general.action_hedges: need at least 2 actions');
    const bad = hedges.find((h) => h !== HOLD && !(typeof h === 'number' && h >= 0));
    if (bad !== undefined) throw new RangeError(`general.action_hedges: expected numbers >= 0 or "hold", found ${JSON.stringify(bad)}`);
    this.n = hedges.length;
  }

  /** Workers for action `index`: `base` sized for the hedged arrivals alone, `total` with the queue drain added. */
  sizes(index: number, load: LoadEstimate, bounds: { minWorkers: number; maxWorkers: number }): { base: number; total: number } {
    const h = this.hedges[index];
    if (h === undefined) throw new RangeError(`HedgeActions: no action ${index} (have ${this.n})`);
    if (h === HOLD) throw new RangeError('HedgeActions.sizes: the hold action sizes nothing');
    const profile = gammaServiceProfile(Math.max(1e-3, load.service), this.sizing);
    const range = { min: bounds.minWorkers, max: bounds.maxWorkers };
    const rate = (1 + h) * Math.max(0, load.rate);
    const base = minWorkers(rate, profile, SIZING_QOS, range);
    const queue = Math.max(0, load.queue);
    return { base, total: queue > 0 ? minWorkers(rate + queue / DRAIN_SECONDS, profile, SIZING_QOS, range) : base };
  }
}

/**
 * The stateful side of the actions, one per episode: the scale-down limit applies to the count
 * sized for the arrivals (`held`, which falls by at most `scaleDownLimit` per decision), while the
 * workers added to drain a queue leave as soon as the queue is gone. Without that split a drain
 * after a jump (hundreds of tasks on a 300-worker farm) left its extra workers to decay at the
 * scale-down limit for a minute.
 */
export class HedgeSizer {
  private held: number | null = null;

  constructor(readonly actions: HedgeActions) {}

  reset(): void {
    this.held = null;
  }

  /** Worker delta of action `index`; 0 while nothing has been measured (load null). */
  delta(index: number, workers: number, load: LoadEstimate | null, bounds: { minWorkers: number; maxWorkers: number }): number {
    if (load === null || this.actions.hedges[index] === HOLD) return 0;
    const { base, total } = this.actions.sizes(index, load, bounds);
    const previous = this.held ?? workers;
    this.held = Math.max(base, previous - Math.max(1, Math.floor(this.actions.scaleDownLimit * previous)));
    return Math.max(this.held, total) - workers;
  }
}

/**
 * The action set configured in `general` (action_hedges, scale_down_limit), sized with the
 * configuration's task-time shape and deadline coefficient.
 */
export function hedgeActions(config: Config): HedgeActions {
  return new HedgeActions(config.general.action_hedges, config.general.scale_down_limit, {
    serviceShape: config.tasks.processing_time.shape,
    deadlineCoefficient: config.tasks.deadline.coefficient,
  });
}
