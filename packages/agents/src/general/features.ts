/**
 * The general agents' observation transform: from the env's 9-number observation (reference §7.6),
 * the arrivals counter and clock, and the env's bounds to features that mean the same on any load
 * and any farm size. Owned by the agent side (it imports core only), used identically in training
 * and by the deployed policy, at any decision cadence.
 *
 * Rates and the task time are measured by core's LoadMeter (shared with the `reserve` baseline):
 *   stable   arrivals per second over the last STABLE_WINDOW (32 s); panic over PANIC_WINDOW (4 s);
 * the sizing rate is max(stable, panic).
 *
 * Features (in FEATURE_NAMES order):
 *   load       sizing rate × service / workers: the share of the workers the arrivals need.
 *   trend      (panic − stable) × service / workers: + when the arrivals climb.
 *   queue      worker_q / workers: tasks waiting per worker.
 *   qos        qos_rate of the observation window, as observed.
 *   latency    avg_time / service: ≈ 1 when tasks do not wait.
 *   headroom   (max_workers − workers) / (max_workers − min_workers).
 *   burst      the index of dispersion of the arrival counts between decisions over the stable
 *              window (variance / mean): ≈ 1 for a steady Poisson stream at any rate, ≈ 0 for the
 *              controlled process, ≫ 1 through spikes and oscillations. Scale-free, unlike the
 *              range of the rates, which is large for a slow Poisson stream alone.
 *   ahead      (planned rate − sizing rate) × service / workers: how far the forecast lifts the
 *              sizing (core's LoadMeter: the forecast's peak over the next cold start + decision,
 *              once a period is known; 0 before, and whenever the measured rate is higher).
 *   spread     (forecast upper − forecast) × service / workers: the forecaster's own recent error
 *              quantile less its Poisson part, i.e. how much the forecast has missed by lately.
 *   recur      the autocorrelation of the counted load at its detected period (0 without one):
 *              how much today repeats yesterday.
 * `service` is the meter's estimate of the mean task time, by Little's law over the stable
 * window: busy worker-seconds per collected task (no queueing wait in it).
 * Of the observation it reads worker_q, workers, avg_time and qos_rate, and output_q (the tasks
 * collected so far) for the task-time estimate; never input_q (a phase index) or result_q.
 */
import { LoadMeter, PANIC_WINDOW, STABLE_WINDOW, type FarmReading, type LoadEstimate, type Observation } from '@autofarm/core';

export { PANIC_WINDOW, STABLE_WINDOW, type FarmReading } from '@autofarm/core';

export const FEATURE_NAMES = ['load', 'trend', 'queue', 'qos', 'latency', 'headroom', 'burst', 'ahead', 'spread', 'recur'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What the transform needs of the env (core's EnvBounds or a PolicyContext both fit). */
export interface FeatureBounds {
  minWorkers: number;
  maxWorkers: number;
}

const I = { workerQ: 1, collected: 3, workers: 4, avg: 5, qos: 8 } as const;

export class FeatureTransform {
  private readonly meter = new LoadMeter();

  /** Forget the episode (call at every reset). */
  reset(): void {
    this.meter.reset();
  }

  /** The rate to size for: max(stable, panic); null before the first interval has been measured. */
  get sizingRate(): number | null {
    return this.meter.sizingRate;
  }

  /** The mean task time in force (seconds). */
  get serviceEstimate(): number | null {
    return this.meter.serviceEstimate;
  }

  /** What the actions size for, from the last observation; null until a rate and a task time are known. */
  estimate(o: Observation): LoadEstimate | null {
    return this.meter.estimate(o[I.workerQ] as number);
  }

  /** Variance / mean of the arrival counts between consecutive marks in the stable window. */
  private burst(): number {
    const counts = this.meter.arrivalCounts();
    if (counts.length < 2) return 0;
    const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
    if (mean <= 0) return 0;
    return counts.reduce((s, c) => s + (c - mean) ** 2, 0) / (counts.length - 1) / mean;
  }

  apply(o: Observation, bounds: FeatureBounds, reading: FarmReading): number[] {
    const workers = Math.max(1, o[I.workers] as number);
    const avg = o[I.avg] as number;
    const queue = o[I.workerQ] as number;
    // before any completions: the reset observation's latency (the empty window's configured value)
    this.meter.record(reading, o[I.collected] as number, avg);
    const service = Math.max(1e-3, this.meter.serviceEstimate ?? avg);

    const stable = this.meter.rateOver(STABLE_WINDOW) ?? 0;
    const panic = this.meter.rateOver(PANIC_WINDOW) ?? 0;
    const span = Math.max(1, bounds.maxWorkers - bounds.minWorkers);
    const sizing = Math.max(stable, panic);
    const forecast = this.meter.forecast;
    const planned = this.meter.plannedRate ?? sizing;
    return [
      clip((sizing * service) / workers, 0, 5),
      clip(((panic - stable) * service) / workers, -2, 2),
      clip(queue / workers, 0, 20),
      o[I.qos] as number,
      clip(avg / service, 0, 20),
      clip((bounds.maxWorkers - workers) / span, 0, 1),
      clip(this.burst(), 0, 20),
      clip(((planned - sizing) * service) / workers, 0, 5),
      clip(((forecast.upper - forecast.rate) * service) / workers, 0, 5),
      clip(forecast.strength, 0, 1),
    ];
  }
}

function clip(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}
