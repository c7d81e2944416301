/**
 * Predictive: the rule production predictive scalers share (AWS predictive scaling, Alibaba
 * AHPA, Grafana Mimir's seasonal KEDA trigger; anchors §B.3, §F.2), on core's forecaster fed only by
 * the emitter's enqueued counter (PlatformSignals.enqueuedTotal), so the same code runs on a
 * live farm:
 *
 * 1. forecast the arrival rate over the next lead + cadence seconds (lead = the cold start):
 *    the forecast's peak plus the `quantile` of its own recent errors;
 * 2. the floor it sets is backed by the observed rate (AHPA: max(proactive, reactive)), plus the
 *    backlog to drain within drain_time;
 * 3. c = the M/G/c deadline sizing (core/queueing.ts) of that rate for target_qos;
 * 4. scale out at once; scale in only as far as the rate OBSERVED over the last
 *    scale_in_window seconds allows (AWS never scales in on a forecast).
 *
 * Worked example (shipped service profile, target 0.99): forecast upper 9 tasks/s, observed
 * 5 tasks/s, empty queue -> size for 9 tasks/s = 17 workers, launched while the load is still 5.
 */
import {
  Forecaster,
  DEFAULT_FORECASTER,
  minWorkers,
  type Config,
  type Forecast,
  type Observation,
  type Policy,
  type PolicyContext,
  type ServiceProfile,
} from '@autofarm/core';
import { component, stepToward } from './common.js';
import { serviceProfile } from './service-profile.js';

export interface PredictiveOptions {
  targetQos: number;
  quantile: number;
  cadence: number;
  /** Seconds capacity is launched ahead (the cold start). */
  lead: number;
  observedWindow: number;
  scaleInWindow: number;
  drainTime: number;
}

export class PredictivePolicy implements Policy {
  readonly name = 'Predictive';
  readonly cadence: number;
  private readonly forecaster: Forecaster;
  /** The last decision's inputs, for tests and logs. */
  last: { forecast: Forecast; observed: number; workers: number } | null = null;

  constructor(
    readonly options: PredictiveOptions,
    readonly profile: ServiceProfile,
  ) {
    this.cadence = options.cadence;
    this.forecaster = new Forecaster({
      ...DEFAULT_FORECASTER,
      bin: options.cadence,
      horizon: options.lead + options.cadence,
      quantile: options.quantile,
    });
  }

  reset(): void {
    this.forecaster.reset();
    this.last = null;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const workers = component(observation, 'workers');
    this.forecaster.observe(ctx.time, ctx.signals.enqueuedTotal);
    if (ctx.time < this.options.cadence) return 0; // no arrivals counted yet
    const o = this.options;
    const forecast = this.forecaster.forecast();
    const observed = this.forecaster.observedRate(o.observedWindow);
    const backlog = ctx.signals.queueLength / o.drainTime;
    const bounds = { min: ctx.minWorkers, max: ctx.maxWorkers };
    const size = (rate: number) => minWorkers(rate + backlog, this.profile, o.targetQos, bounds);
    const desired = size(Math.max(forecast.upper, observed));
    // scale in no further than the rate observed over the whole scale-in window needs: a decrease
    // must be seen, not forecast (the mean of 30 s, not the max of noisy 8 s means, which at 1 task/s
    // sits ~2 sd = 0.7 tasks/s above the rate)
    const floor = size(this.forecaster.observedRate(Math.max(o.observedWindow, o.scaleInWindow)));
    const target = desired >= workers ? desired : Math.min(workers, Math.max(desired, floor));
    this.last = { forecast, observed, workers: target };
    return stepToward(workers, target);
  }
}

export function createPredictive(config: Config, profile: ServiceProfile = serviceProfile(config)): PredictivePolicy {
  const p = config.baselines.predictive;
  return new PredictivePolicy(
    {
      targetQos: p.target_qos,
      quantile: p.quantile,
      cadence: p.cadence,
      lead: p.lead ?? config.sim.scale_up_delay,
      observedWindow: p.observed_window,
      scaleInWindow: p.scale_in_window,
      drainTime: p.drain_time,
    },
    profile,
  );
}
