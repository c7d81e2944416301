/**
 * Hindsight: the clairvoyant YARDSTICK every other policy's regret is measured against. Unlike
 * the oracle, which plans on the nominal schedule (the expected rate), it knows the episode's
 * REALIZED future (every arrival time and task time still to come) and plans with the
 * simulator itself as its model: model-predictive control over copies of the farm
 * (ctx.hindsight.fork(), injected by the evaluation on the sim backend; this package imports
 * core only). It decides once per env step, like the original's policies, under the same cold
 * start and range, and may set any count (±ctx.maxDelta under `step` actuation).
 *
 * At each decision it asks: what is the fewest workers c to hold for the next step such that,
 * if every later step may then climb as fast as the limit allows (to max_workers at once under
 * native actuation), no more tasks miss their deadline within the horizon than if it took the
 * most workers it may now? Misses are counted on the copy at the horizon's end: collected late,
 * or still in the farm and already past the deadline. More workers never start a FIFO task
 * later, so misses fall with c and a binary search finds c: 1 + log2(32) ≈ 6 forecasts of 24 s
 * per step on the shipped farm, 10 on a 320-worker farm.
 *
 * Worked example (canonical, t = 56 s): 1.5 tasks/s until 60 s, then 7.5 tasks/s. With c = 4
 * workers until 64 s and max from the next step (ready at 70 s), the 10 s of 7.5 tasks/s from
 * 60 s pile up ~60 tasks and dozens miss; with max now, none; the search settles on the
 * smallest c (~13) that also misses none.
 *
 * The horizon must cover the next decision's effect: one step plus the cold start (8 + 6 s);
 * three steps (24 s) leave room for deadlines of the tasks queued by then.
 */
import type { Config, FarmForecast, Hindsight, Observation, Policy, PolicyContext } from '@autofarm/core';
import { clampWorkers, component } from './common.js';

export interface HindsightOptions {
  /** Env steps each forecast covers (the first at the candidate count, the rest climbing at the limit). */
  horizonSteps: number;
}

export class HindsightPolicy implements Policy {
  readonly name = 'Hindsight';
  readonly hindsight = true;
  /** Forecasts run so far (the cost of the yardstick). */
  forecasts = 0;

  constructor(readonly options: HindsightOptions) {}

  reset(): void {
    this.forecasts = 0;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const model = ctx.hindsight;
    if (!model) throw new Error('Hindsight plans on the realized future: the evaluation must pass ctx.hindsight (sim backend)');
    const current = Math.round(component(observation, 'workers'));
    const lo = clampWorkers(current - ctx.maxDelta, ctx);
    const hi = clampWorkers(current + ctx.maxDelta, ctx);
    const best = this.late(model, hi, ctx);
    // Smallest c in [lo, hi] with late(c) <= best; late(hi) = best by definition.
    let low = lo;
    let high = hi;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.late(model, mid, ctx) <= best) high = mid;
      else low = mid + 1;
    }
    return low - current;
  }

  /** Misses on a copy of the farm: `count` workers for one step, then climbing at the limit. */
  private late(model: Hindsight, count: number, ctx: PolicyContext): number {
    this.forecasts++;
    const f: FarmForecast = model.fork();
    let workers = f.scale(count);
    f.advance(ctx.stepDuration);
    for (let j = 1; j < this.options.horizonSteps; j++) {
      workers = f.scale(clampWorkers(workers + ctx.maxDelta, ctx));
      f.advance(ctx.stepDuration);
    }
    return f.late();
  }
}

export function createHindsight(_config: Config): HindsightPolicy {
  return new HindsightPolicy({ horizonSteps: 3 });
}
