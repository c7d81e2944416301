/**
 * Queueing: the deployable counterpart of the oracle. It sees only what a real controller sees
 * (observed arrival rate, queue length, worker count) and sizes the farm with the M/G/c deadline
 * model of queueing-math.ts for `target_qos`:
 *
 * 1. forecast the arrival rate with Holt's linear trend over the observed arrival_rate (one
 *    sample per step); plan for the larger of the smoothed level now and the forecast
 *    `forecast_horizon` seconds ahead (the linear forecast peaks at one end of the interval);
 * 2. add the backlog as extra load: Q queued tasks to drain within `drain_time` seconds are
 *    Q / drain_time extra tasks/s;
 * 3. c = the fewest workers whose predicted deadline-miss probability is at most 1 − target_qos;
 *    move toward c by at most maxDelta.
 *
 * The first decision of an episode holds: the reset's observation has no arrival-rate sample yet.
 */
import { Holt, type Config, type Observation, type Policy, type PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';
import { minWorkers, type ServiceProfile } from './queueing-math.js';
import { serviceProfile } from './service-profile.js';

export interface QueueingOptions {
  targetQos: number;
  forecastHorizon: number;
  drainTime: number;
  holtAlpha: number;
  holtBeta: number;
}

export class QueueingPolicy implements Policy {
  readonly name = 'Queueing';
  private readonly holt: Holt;
  /** The last decision's planned arrival rate and worker count, for tests and logs. */
  last: { rate: number; workers: number } | null = null;

  constructor(
    readonly options: QueueingOptions,
    readonly profile: ServiceProfile,
  ) {
    this.holt = new Holt(options.holtAlpha, options.holtBeta);
  }

  reset(): void {
    this.holt.reset();
    this.last = null;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const workers = component(observation, 'workers');
    if (ctx.step === 0) return 0;
    this.holt.update(Math.max(0, component(observation, 'arrival_rate')));
    const level = this.holt.forecast(0) ?? 0;
    const ahead = this.holt.forecast(this.options.forecastHorizon / ctx.stepDuration) ?? 0;
    const backlog = component(observation, 'worker_q') / this.options.drainTime;
    const rate = Math.max(0, level, ahead) + backlog;
    const desired = minWorkers(rate, this.profile, this.options.targetQos, { min: ctx.minWorkers, max: ctx.maxWorkers });
    this.last = { rate, workers: desired };
    return stepToward(workers, desired);
  }
}

export function createQueueing(config: Config, profile: ServiceProfile = serviceProfile(config)): QueueingPolicy {
  const q = config.baselines.queueing;
  return new QueueingPolicy(
    {
      targetQos: q.target_qos,
      forecastHorizon: q.forecast_horizon,
      drainTime: q.drain_time,
      holtAlpha: q.holt_alpha,
      holtBeta: q.holt_beta,
    },
    profile,
  );
}
