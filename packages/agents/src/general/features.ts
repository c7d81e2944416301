/**
 * The general agents' observation transform: from the env's 9-number observation (reference §7.6),
 * the arrivals counter and clock, and the env's bounds to features that mean the same on any load
 * and any farm size. Owned by the agent side (it imports core only), used identically in training
 * and by the deployed policy, at any decision cadence.
 *
 * Rates are measured from the arrivals counter over windows of seconds, not from the
 * observation's per-step arrival_rate, so a decision every 2 s inside an 8 s env step sees the
 * same quantities as training on 2 s steps:
 *   stable   arrivals per second over the last STABLE_WINDOW (32 s; less early in the episode);
 *   panic    arrivals per second over the last PANIC_WINDOW (4 s): a rise shows within seconds.
 * The sizing rate is max(stable, panic), the KPA's stable/panic pair.
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
 * `service` is the agent's own estimate of the mean task time, by Little's law over the stable
 * window: busy worker-seconds per collected task (no queueing wait in it).
 * Of the observation it reads worker_q, workers, avg_time and qos_rate, and output_q (the tasks
 * collected so far) for the task-time estimate; never input_q (a phase index) or result_q.
 */
import type { Observation } from '@autofarm/core';
import type { LoadEstimate } from './actions.js';

export const FEATURE_NAMES = ['load', 'trend', 'queue', 'qos', 'latency', 'headroom', 'burst'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What the transform needs of the env (core's EnvBounds or a PolicyContext both fit). */
export interface FeatureBounds {
  minWorkers: number;
  maxWorkers: number;
}

/** The env's clock, arrivals counter and busy workers at the observation (from StepInfo, or a PolicyContext's time and signals). */
export interface FarmReading {
  time: number;
  enqueuedTotal: number;
  busyWorkers: number;
}

/** A reading with the collected-tasks counter of its observation. */
interface Mark extends FarmReading {
  collected: number;
}

const I = { workerQ: 1, collected: 3, workers: 4, avg: 5, qos: 8 } as const;
/** Completions in the stable window below which the task-time estimate keeps its last value. */
const MIN_COMPLETIONS = 5;
/** Seconds behind the stable rate (the KPA's stable window is 60 s; 32 s follows a phase change sooner). */
export const STABLE_WINDOW = 32;
/** Seconds behind the panic rate. */
export const PANIC_WINDOW = 4;

export class FeatureTransform {
  private service: number | null = null;
  private marks: Mark[] = [];

  /** Forget the episode (call at every reset). */
  reset(): void {
    this.service = null;
    this.marks = [];
  }

  /** Arrivals per second from the latest mark at least `window` s old (or the oldest) to now; null before two marks. */
  private rateOver(window: number): number | null {
    const now = this.marks[this.marks.length - 1];
    if (!now || this.marks.length < 2) return null;
    let from = this.marks[0] as Mark;
    for (const m of this.marks) if (m.time <= now.time - window + 1e-9) from = m;
    if (from === now) from = this.marks[this.marks.length - 2] as Mark;
    return now.time > from.time ? (now.enqueuedTotal - from.enqueuedTotal) / (now.time - from.time) : null;
  }

  /** The rate to size for: max(stable, panic); null before the first interval has been measured. */
  get sizingRate(): number | null {
    const stable = this.rateOver(STABLE_WINDOW);
    const panic = this.rateOver(PANIC_WINDOW);
    return stable === null || panic === null ? null : Math.max(stable, panic);
  }

  /** The mean task time in force (seconds). */
  get serviceEstimate(): number | null {
    return this.service;
  }

  /** What the actions size for, from the last observation; null until a rate and a task time are known. */
  estimate(o: Observation): LoadEstimate | null {
    const rate = this.sizingRate;
    return rate === null || this.service === null ? null : { rate, queue: o[I.workerQ] as number, service: Math.max(1e-3, this.service) };
  }

  /** Variance / mean of the arrival counts between consecutive marks in the stable window. */
  private burst(): number {
    const counts: number[] = [];
    for (let i = 1; i < this.marks.length; i++) {
      const a = this.marks[i - 1] as Mark;
      const b = this.marks[i] as Mark;
      if (b.time > a.time) counts.push(b.enqueuedTotal - a.enqueuedTotal);
    }
    if (counts.length < 2) return 0;
    const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
    if (mean <= 0) return 0;
    return counts.reduce((s, c) => s + (c - mean) ** 2, 0) / (counts.length - 1) / mean;
  }

  /**
   * Little's law over the stable window: busy worker-seconds (trapezoids between readings) per
   * collected task. Unlike the latency of completed tasks it holds no queueing wait, so a drain
   * after a jump does not inflate it; null below MIN_COMPLETIONS.
   */
  private littleService(): number | null {
    let busySeconds = 0;
    for (let i = 1; i < this.marks.length; i++) {
      const a = this.marks[i - 1] as Mark;
      const b = this.marks[i] as Mark;
      busySeconds += ((a.busyWorkers + b.busyWorkers) / 2) * (b.time - a.time);
    }
    const done = (this.marks[this.marks.length - 1] as Mark).collected - (this.marks[0] as Mark).collected;
    return done >= MIN_COMPLETIONS && busySeconds > 0 ? busySeconds / done : null;
  }

  apply(o: Observation, bounds: FeatureBounds, reading: FarmReading): number[] {
    const workers = Math.max(1, o[I.workers] as number);
    const avg = o[I.avg] as number;
    const queue = o[I.workerQ] as number;
    this.marks.push({
      time: reading.time,
      enqueuedTotal: reading.enqueuedTotal,
      busyWorkers: reading.busyWorkers,
      collected: o[I.collected] as number,
    });
    while (this.marks.length > 2 && (this.marks[1] as Mark).time <= reading.time - STABLE_WINDOW) this.marks.shift();
    // before any completions: the reset observation's latency (the empty window's configured value)
    this.service = this.littleService() ?? this.service ?? avg;
    const service = Math.max(1e-3, this.service);

    const stable = this.rateOver(STABLE_WINDOW) ?? 0;
    const panic = this.rateOver(PANIC_WINDOW) ?? 0;
    const span = Math.max(1, bounds.maxWorkers - bounds.minWorkers);
    return [
      clip((Math.max(stable, panic) * service) / workers, 0, 5),
      clip(((panic - stable) * service) / workers, -2, 2),
      clip(queue / workers, 0, 20),
      o[I.qos] as number,
      clip(avg / service, 0, 20),
      clip((bounds.maxWorkers - workers) / span, 0, 1),
      clip(this.burst(), 0, 20),
    ];
  }
}

function clip(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}
