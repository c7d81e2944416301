/**
 * KPA: the Knative Pod Autoscaler's stable/panic rule on in-flight work (anchors §A.3; the
 * decision follows knative/serving pkg/autoscaler/scaling/autoscaler.go `Scale`).
 *
 * Metric: concurrency = tasks in flight = queued + busy workers (each worker serves one task
 * at a time, so containerConcurrency = 1 and the per-worker target is
 * target_concurrency × target_utilization = 0.7).
 *
 * - stable average over `stable_window` (60 s), panic average over
 *   stable_window × panic_window_percentage / 100 (6 s);
 * - dspc = ceil(stable / target), dppc = ceil(panic / target), both kept within
 *   [floor(ready / max_scale_down_rate), ceil(ready × max_scale_up_rate)] (at most halving per tick);
 * - panic starts (or is extended) when dppc / ready >= panic_threshold (2.0 = 200 %);
 *   while panicking the count is max(dspc, dppc) and NEVER goes down; panic ends once the
 *   threshold has not been crossed for a whole stable window.
 *
 * It decides every tick (`tick_interval`, 2 s) and takes one sample of the in-flight count per
 * decision, so the stable window averages the 30 samples of the last 60 s and the panic window
 * the 3 of the last 6 s. Under `step` actuation it decides once per 8 s step instead: 8 samples
 * in the stable window, only the newest one in the panic window.
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';

export interface KpaOptions {
  targetConcurrency: number;
  targetUtilization: number;
  /** Seconds between two decisions (the autoscaler tick). */
  tickInterval: number;
  stableWindow: number;
  panicWindowPercentage: number;
  panicThreshold: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
}

/** What one decision saw, for tests. */
export interface KpaState {
  stable: number;
  panic: number;
  panicking: boolean;
  desired: number;
}

export class KpaPolicy implements Policy {
  readonly name = 'KPA';
  readonly cadence: number;
  private samples: Array<{ time: number; value: number }> = [];
  private panicTime: number | null = null;
  private maxPanicPods = 0;
  /** The last decision's internals (null before the first). */
  last: KpaState | null = null;

  constructor(readonly options: KpaOptions) {
    this.cadence = options.tickInterval;
  }

  reset(): void {
    this.samples = [];
    this.panicTime = null;
    this.maxPanicPods = 0;
    this.last = null;
  }

  private windowAverage(now: number, window: number): number {
    // (now − window, now]: 30 ticks of 2 s in the 60 s stable window (1e-9 absorbs clock float noise).
    const inside = this.samples.filter((s) => s.time > now - window + 1e-9);
    if (inside.length === 0) return 0;
    return inside.reduce((a, s) => a + s.value, 0) / inside.length;
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const o = this.options;
    const now = ctx.time;
    const workers = component(observation, 'workers');
    const inFlight = ctx.signals.queueLength + ctx.signals.busyWorkers;
    this.samples.push({ time: now, value: inFlight });
    this.samples = this.samples.filter((s) => s.time > now - o.stableWindow + 1e-9);

    const ready = Math.max(1, ctx.signals.readyWorkers);
    const target = o.targetConcurrency * o.targetUtilization;
    const stable = this.windowAverage(now, o.stableWindow);
    const panic = this.windowAverage(now, (o.stableWindow * o.panicWindowPercentage) / 100);
    // 1e-9: 1.4 / 0.7 is 2.0000000000000004 in floating point and must stay 2.
    const dspc = Math.ceil(stable / target - 1e-9);
    const dppc = Math.ceil(panic / target - 1e-9);
    const maxScaleDown = Math.floor(ready / o.maxScaleDownRate);
    const maxScaleUp = Math.ceil(ready * o.maxScaleUpRate);
    const desiredStable = Math.min(Math.max(dspc, maxScaleDown), maxScaleUp);
    const desiredPanic = Math.min(Math.max(dppc, maxScaleDown), maxScaleUp);

    const over = dppc / ready >= o.panicThreshold;
    if (over) {
      this.panicTime = now; // start, or extend, the panic
    } else if (this.panicTime !== null && this.panicTime + o.stableWindow < now) {
      // The surge has made its way into the stable average: back to stable mode.
      this.panicTime = null;
      this.maxPanicPods = 0;
    }
    let desired = desiredStable;
    if (this.panicTime !== null) {
      desired = Math.max(desiredStable, desiredPanic);
      // Panic mode: only increases are applied.
      this.maxPanicPods = Math.max(this.maxPanicPods, desired);
      desired = this.maxPanicPods;
    }
    this.last = { stable, panic, panicking: this.panicTime !== null, desired };
    return stepToward(workers, desired);
  }
}

export function createKpa(config: Config): KpaPolicy {
  const k = config.baselines.kpa;
  return new KpaPolicy({
    targetConcurrency: k.target_concurrency,
    targetUtilization: k.target_utilization,
    tickInterval: k.tick_interval,
    stableWindow: k.stable_window,
    panicWindowPercentage: k.panic_window_percentage,
    panicThreshold: k.panic_threshold,
    maxScaleUpRate: k.max_scale_up_rate,
    maxScaleDownRate: k.max_scale_down_rate,
  });
}
