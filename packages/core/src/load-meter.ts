/**
 * What a controller measures of the load from the arrivals counter and the clock, shared by the
 * general agents' features and the `reserve` baseline (reserve-sizing.ts sizes for it):
 *   stable   arrivals per second over the last STABLE_WINDOW (32 s; less early in the episode);
 *   panic    arrivals per second over the last PANIC_WINDOW (4 s): a rise shows within seconds.
 * The sizing rate is max(stable, panic), the KPA's stable/panic pair. `service`, the mean task
 * time, comes from Little's law over the stable window: busy worker-seconds per collected task
 * (no queueing wait in it). Rates come from the counter over windows of seconds, not from the
 * observation's per-step arrival_rate, so a decision every 2 s inside an 8 s env step sees the
 * same quantities as training on 2 s steps.
 *
 * Foresight: the same counter feeds core's Forecaster (bins of 2 s, a horizon of the 6 s cold
 * start + a 2 s decision). Once it has found a period in the history (the load recurs), the rate
 * sized for is max(sizing rate, the forecast's peak over the horizon): capacity is launched a
 * cold start ahead of a rise seen one period earlier. Without a period the forecast sets nothing
 * (Holt's trend on a one-shot load adds noise, not foresight) and the rate is the measured one.
 * The forecast's error quantile is not added: the reserve on top of the sizing is the margin.
 */
import { DEFAULT_FORECASTER, Forecaster, type Forecast } from './forecast/forecaster.js';
import type { LoadEstimate } from './reserve-sizing.js';

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

/** Completions in the stable window below which the task-time estimate keeps its last value. */
const MIN_COMPLETIONS = 5;
/** Seconds behind the stable rate (the KPA's stable window is 60 s; 32 s follows a phase change sooner). */
export const STABLE_WINDOW = 32;
/** Seconds behind the panic rate. */
export const PANIC_WINDOW = 4;

export class LoadMeter {
  private service: number | null = null;
  private marks: Mark[] = [];
  private readonly forecaster = new Forecaster(DEFAULT_FORECASTER);

  /** Forget the episode (call at every reset). */
  reset(): void {
    this.service = null;
    this.marks = [];
    this.forecaster.reset();
  }

  /**
   * Add the reading of one observation (`collected`: its collected-tasks counter) and drop the
   * marks older than the stable window; `fallbackService` is the task time in force before any
   * completions (the reset observation's latency).
   */
  record(reading: FarmReading, collected: number, fallbackService: number): void {
    this.marks.push({ time: reading.time, enqueuedTotal: reading.enqueuedTotal, busyWorkers: reading.busyWorkers, collected });
    this.forecaster.observe(reading.time, reading.enqueuedTotal);
    while (this.marks.length > 2 && (this.marks[1] as Mark).time <= reading.time - STABLE_WINDOW) this.marks.shift();
    this.service = this.littleService() ?? this.service ?? fallbackService;
  }

  /** Arrivals per second from the latest mark at least `window` s old (or the oldest) to now; null before two marks. */
  rateOver(window: number): number | null {
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

  /** The forecast as of the last reading (period null until the load has been seen to recur). */
  get forecast(): Forecast {
    return this.forecaster.forecast();
  }

  /** The rate the sizing serves: the sizing rate, raised to the forecast's peak once a period is known. */
  get plannedRate(): number | null {
    const rate = this.sizingRate;
    const f = this.forecaster.forecast();
    return rate === null || f.period === null ? rate : Math.max(rate, f.rate);
  }

  /** The mean task time in force (seconds). */
  get serviceEstimate(): number | null {
    return this.service;
  }

  /** What the reserve sizing sizes for, with `queue` tasks waiting; null until a rate and a task time are known. */
  estimate(queue: number): LoadEstimate | null {
    const rate = this.plannedRate;
    return rate === null || this.service === null ? null : { rate, queue, service: Math.max(1e-3, this.service) };
  }

  /** Arrivals between consecutive marks in the stable window (skipping marks at the same time). */
  arrivalCounts(): number[] {
    const counts: number[] = [];
    for (let i = 1; i < this.marks.length; i++) {
      const a = this.marks[i - 1] as Mark;
      const b = this.marks[i] as Mark;
      if (b.time > a.time) counts.push(b.enqueuedTotal - a.enqueuedTotal);
    }
    return counts;
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
}
