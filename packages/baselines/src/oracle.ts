/**
 * Oracle: a clairvoyant YARDSTICK, not a deployable policy. It reads the workload's true future
 * arrival rate (ctx.schedule, given only to policies that declare `clairvoyant`) and sizes the
 * farm with the same M/G/c deadline model as `queueing` (queueing-math.ts), pre-scaling early
 * enough for the decision's limit (ctx.maxDelta) and the cold start. Its (QoS, mean workers) point marks
 * what good scaling can reach on a workload; no real controller knows the future.
 *
 * Plan at decision time t, step length τ, cold start δ (sim.scale_up_delay), k = maxDelta:
 * a worker requested now serves from t + δ, and the count can rise by at most k per step, so
 * the count chosen now must satisfy, for every future step j >= 0,
 *   count_now + j·k >= c_j,   c_j = workers needed for the peak rate in [t + jτ + δ, t + (j+1)τ + δ]
 * (for j = 0 the interval starts at t: a scale-down takes effect at once). Hence
 *   desired = max_j (c_j − j·k),
 * where c_0 also carries the current backlog (worker_q / drain_time extra tasks/s). Worked
 * example: 4 workers suffice now, 15 are needed from 60 s on, k = 1, τ = 8 s, δ = 6 s: at
 * t = 0 the term j = 6 (interval [54, 62] s) gives 15 − 6 = 9, so the oracle keeps 9 workers
 * through the quiet start and climbs in time.
 */
import type { Config, Observation, Policy, PolicyContext, WorkloadSchedule } from '@autofarm/core';
import { component, stepToward } from './common.js';
import { minWorkers, type ServiceProfile } from './queueing-math.js';
import { serviceProfile } from './service-profile.js';

export interface OracleOptions {
  targetQos: number;
  /** Cold start, seconds (sim.scale_up_delay). */
  scaleUpDelay: number;
  /** Seconds in which the current backlog should be drained. */
  drainTime: number;
  /** Seconds between the rate samples taken to find an interval's peak. */
  resolution?: number;
}

/** The highest scheduled rate in [from, to], sampled every `resolution` seconds and at both ends. */
export function peakRate(schedule: WorkloadSchedule, from: number, to: number, resolution: number): number {
  let peak = 0;
  for (let t = from; t < to; t += resolution) peak = Math.max(peak, schedule.rateAt(t));
  return Math.max(peak, schedule.rateAt(to));
}

export class OraclePolicy implements Policy {
  readonly name = 'Oracle';
  readonly clairvoyant = true;
  /** The last decision's plan: desired count and the step j that bound it. */
  last: { desired: number; bindingStep: number } | null = null;

  constructor(
    readonly options: OracleOptions,
    readonly profile: ServiceProfile,
  ) {}

  reset(): void {
    this.last = null;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const schedule = ctx.schedule;
    if (!schedule) throw new Error('Oracle is clairvoyant: the evaluation must pass ctx.schedule');
    const { targetQos, scaleUpDelay: delay, drainTime } = this.options;
    const resolution = this.options.resolution ?? 0.5;
    const t = ctx.time;
    const tau = ctx.stepDuration;
    const k = ctx.maxDelta;
    const bounds = { min: ctx.minWorkers, max: ctx.maxWorkers };
    const backlog = component(observation, 'worker_q') / drainTime;
    // Beyond this many steps even a climb from min to max fits: later needs cannot bind.
    const horizon = Math.ceil((ctx.maxWorkers - ctx.minWorkers) / k) + 1;
    let desired = ctx.minWorkers;
    let bindingStep = 0;
    for (let j = 0; j <= horizon; j++) {
      const from = j === 0 ? t : t + j * tau + delay;
      const to = t + (j + 1) * tau + delay;
      if (j > 0 && from > schedule.duration) break;
      const rate = peakRate(schedule, from, to, resolution) + (j === 0 ? backlog : 0);
      const need = minWorkers(rate, this.profile, targetQos, bounds) - j * k;
      if (need > desired) {
        desired = need;
        bindingStep = j;
      }
    }
    this.last = { desired, bindingStep };
    return stepToward(component(observation, 'workers'), desired);
  }
}

export function createOracle(config: Config, profile: ServiceProfile = serviceProfile(config)): OraclePolicy {
  return new OraclePolicy(
    { targetQos: config.baselines.oracle.target_qos, scaleUpDelay: config.sim.scale_up_delay, drainTime: config.episode.step_duration },
    profile,
  );
}
