/**
 * Schedules: a value (exploration rate, learning rate, ...) as a pure function of a counter
 * t >= 0 (episodes or steps, whichever the caller counts). Pure functions instead of mutable
 * "decay()" calls, so resuming at episode t gives exactly the value a fresh run had there.
 *
 * Invariants: every schedule returns `start` at t = 0, is monotone between `start` and `end`,
 * and never passes `end`.
 */

/** A value as a function of a non-negative counter (episode or step index). */
export type Schedule = (t: number) => number;

/** Always `value`. */
export function constantSchedule(value: number): Schedule {
  return () => value;
}

export interface ExponentialDecayOptions {
  start: number;
  /** Floor (or ceiling, if start < end) the value never passes. */
  end: number;
  /** Multiplicative factor per unit of t, in (0, 1]. */
  decay: number;
}

/**
 * `start * decay^t`, clamped at `end`: the original's `epsilon = max(epsilon_min, epsilon * decay)`
 * applied once per episode (reference §9.4). Worked example: start 0.4, decay 0.995, end 0.1 gives
 * 0.4 * 0.995^100 = 0.2424 after 100 episodes and reaches the floor at t = ln(0.25)/ln(0.995) ≈ 277.
 * One difference with the original, on purpose: if start < end the original jumps to `end` after the
 * first decay; here the value is clamped from t = 0 on, so `end` bounds the whole schedule.
 */
export function exponentialDecay({ start, end, decay }: ExponentialDecayOptions): Schedule {
  if (!(decay > 0 && decay <= 1)) throw new RangeError(`exponentialDecay: decay must be in (0, 1], got ${decay}`);
  return (t) => {
    const v = start * Math.pow(decay, Math.max(0, t));
    return start >= end ? Math.max(end, v) : Math.min(end, Math.max(v, start));
  };
}

export interface LinearDecayOptions {
  start: number;
  end: number;
  /** Value of t at which `end` is reached; afterwards the value stays at `end`. */
  duration: number;
}

/**
 * Straight line from `start` (t = 0) to `end` (t = duration), then flat: CleanRL's
 * `linear_schedule`. Example: start 1, end 0.05, duration 100 gives 0.525 at t = 50.
 */
export function linearDecay({ start, end, duration }: LinearDecayOptions): Schedule {
  if (!(duration > 0)) return () => end;
  return (t) => {
    const f = Math.min(1, Math.max(0, t) / duration);
    return start + f * (end - start);
  };
}

/**
 * The number of steps t after which an exponential decay reaches its floor:
 * ceil(ln(end/start) / ln(decay)); 0 if start <= end, Infinity if decay = 1.
 * Useful to report how long exploration lasts (0.4 -> 0.1 at 0.995: 277 episodes).
 */
export function stepsToFloor({ start, end, decay }: ExponentialDecayOptions): number {
  if (start <= end) return 0;
  if (decay >= 1) return Infinity;
  return Math.ceil(Math.log(end / start) / Math.log(decay));
}

/**
 * Let pending events (a Ctrl-C, a timer) run. On the simulator an episode is a chain of resolved
 * promises that never returns to the event loop, so a SIGINT handler would otherwise wait for the
 * whole training to end. Costs a few microseconds; call it once per episode.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
