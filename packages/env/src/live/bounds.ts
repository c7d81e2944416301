/**
 * The one place a live decision is bounded (Knative's decider returns a count, the actuator
 * bounds it). A policy answers a worker delta; this turns it into the count to apply: within
 * [min, max], never below the workers busy now (their tasks would be cut short: keda#157), and
 * never removing more than `scaleDownPerMinute` workers within any 60 s.
 */

/** Why the count applied differs from current + delta (null: it does not). */
export type Bound = 'min' | 'max' | 'busy' | 'scale-down-cap';

export interface BoundsInput {
  /** Workers the target runs now. */
  current: number;
  /** The policy's answer (finite; the caller checks). */
  delta: number;
  /** Workers holding a task now. */
  busy: number;
  minWorkers: number;
  maxWorkers: number;
  /** Workers removed within the last 60 s (RemovalWindow). */
  removedRecently: number;
  scaleDownPerMinute: number;
}

/**
 * E.g. current 10, delta -8, busy 4, range [1, 32], 14 removed of 16 this minute: 2 -> at least
 * busy 4 -> at least 10 - (16 - 14) = 8: desired 8, bound `scale-down-cap`.
 */
export function boundDesired(i: BoundsInput): { desired: number; bound: Bound | null } {
  let desired = Math.round(i.current + i.delta);
  let bound: Bound | null = null;
  if (desired > i.maxWorkers) [desired, bound] = [i.maxWorkers, 'max'];
  if (desired < i.minWorkers) [desired, bound] = [i.minWorkers, 'min'];
  if (desired < i.current) {
    const busy = Math.min(i.busy, i.maxWorkers);
    if (desired < busy) [desired, bound] = [busy, 'busy'];
    const allowance = Math.max(0, i.scaleDownPerMinute - i.removedRecently);
    if (desired < i.current - allowance) [desired, bound] = [i.current - allowance, 'scale-down-cap'];
  }
  return { desired, bound };
}

/** Workers removed within the last `span` program seconds (60: the cap is per minute). */
export class RemovalWindow {
  private readonly events: Array<{ time: number; count: number }> = [];

  constructor(private readonly span = 60) {}

  record(time: number, count: number): void {
    if (count > 0) this.events.push({ time, count });
  }

  total(now: number): number {
    while (this.events.length > 0 && (this.events[0] as { time: number }).time <= now - this.span) this.events.shift();
    return this.events.reduce((sum, e) => sum + e.count, 0);
  }
}
