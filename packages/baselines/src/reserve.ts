/**
 * Reserve: the general agents' action held fixed, as a deployable rule. Every `cadence` seconds
 * it sizes the farm with the M/G/c deadline model for the measured arrival rate and keeps a share
 * `reserve` of the range above that in reserve (core's reserve-sizing.ts, the very code the
 * agents act through; LoadMeter measures the rate and the task time as the agents' features do,
 * and raises the rate to its forecast's peak once it has found a period in the arrivals).
 * Example: rate 10 tasks/s, task time 1 s, sized 14 of 32 workers, reserve 0.3 ->
 * 14 + ceil(0.3 × 18) = 20 workers. The issue-20 table put reserve 0.45 above the shipped SARSA on
 * both QoS and worker-seconds: the rule the learners have to beat.
 */
import { LoadMeter, ReserveActions, ReserveSizer, type Config, type Observation, type Policy, type PolicyContext } from '@autofarm/core';
import { component } from './common.js';

export interface ReserveOptions {
  /** Share of the range above the sized count kept in reserve, in [0, 1]. */
  reserve: number;
  /** Largest share of the workers one decision removes. */
  scaleDownLimit: number;
  /** Seconds between decisions. */
  cadence: number;
  /** Gamma shape of the task time and deadline coefficient the sizing assumes. */
  serviceShape: number;
  deadlineCoefficient: number;
}

export class ReservePolicy implements Policy {
  readonly name: string;
  readonly cadence: number;
  private readonly meter = new LoadMeter();
  private readonly sizer: ReserveSizer;

  constructor(readonly options: ReserveOptions) {
    const actions = new ReserveActions(
      [options.reserve],
      options.scaleDownLimit,
      { serviceShape: options.serviceShape, deadlineCoefficient: options.deadlineCoefficient },
      'baselines.reserve.reserve',
    );
    this.sizer = new ReserveSizer(actions);
    this.cadence = options.cadence;
    this.name = 'Reserve';
  }

  reset(): void {
    this.meter.reset();
    this.sizer.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const reading = { time: ctx.time, enqueuedTotal: ctx.signals.enqueuedTotal, busyWorkers: ctx.signals.busyWorkers };
    // output_q counts the collected tasks; before any completion the task time is the window's latency
    this.meter.record(reading, component(observation, 'output_q'), component(observation, 'avg_time'));
    const load = this.meter.estimate(component(observation, 'worker_q'));
    return this.sizer.delta(0, component(observation, 'workers'), load, ctx);
  }
}

/** baselines.reserve, sized with the configuration's task-time shape and deadline coefficient. */
export function createReserve(config: Config): ReservePolicy {
  const r = config.baselines.reserve;
  return new ReservePolicy({
    reserve: r.reserve,
    scaleDownLimit: r.scale_down_limit,
    cadence: r.cadence,
    serviceShape: config.tasks.processing_time.shape,
    deadlineCoefficient: config.tasks.deadline.coefficient,
  });
}
