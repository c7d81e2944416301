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
 * Worked example (canonical workload, seed 1000042): 1.5 tasks/s until 60 s, then 7.5 tasks/s.
 * Hindsight holds 2-5 workers through the quiet minute, asks for 8 at 48 s and 10 at 56 s
 * (ready at 54 and 62 s, just in time for the jump), 17 at 64 s for the backlog of the first
 * seconds, then settles at 11-13: 100 % QoS, 186 forecasts in 31 steps (9.9 mean workers over
 * the 20 held-out seeds).
 *
 * The horizon must cover the next decision's effect: one step plus the cold start (8 + 6 s);
 * three steps (24 s) leave room for deadlines of the tasks queued by then. Under `step`
 * actuation (±1 per step) a need 10 workers away must be prepared 10 steps ahead, so the
 * horizon grows to the climb across the whole range (horizon()).
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

  /**
   * Steps a forecast covers: at least options.horizonSteps, and long enough to climb from the
   * fewest to the most workers at the decision's limit plus the cold start, or a need that far
   * ahead could not be prepared for. Native actuation: 3 steps; `step` (±1) on 1..32 workers: 33.
   */
  horizon(ctx: PolicyContext): number {
    return Math.max(this.options.horizonSteps, Math.ceil((ctx.maxWorkers - ctx.minWorkers) / ctx.maxDelta) + 2);
  }

  /** Misses on a copy of the farm: `count` workers for one step, then climbing at the limit. */
  private late(model: Hindsight, count: number, ctx: PolicyContext): number {
    this.forecasts++;
    const f: FarmForecast = model.fork();
    let workers = f.scale(count);
    f.advance(ctx.stepDuration);
    for (let j = 1; j < this.horizon(ctx); j++) {
      workers = f.scale(clampWorkers(workers + ctx.maxDelta, ctx));
      f.advance(ctx.stepDuration);
    }
    return f.late();
  }
}

export function createHindsight(_config: Config): HindsightPolicy {
  return new HindsightPolicy({ horizonSteps: 3 });
}
