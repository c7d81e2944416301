/**
 * Spaces: small value objects that say which observations and actions are valid (the shape of
 * Gymnasium's Discrete and Box).
 */
import type { Rng } from './rng.js';

export interface Space<T> {
  contains(value: unknown): value is T;
  sample(rng: Rng): T;
}

/**
 * The worker-count deltas {-k..+k}. Actions ARE the deltas (not indices): -1 removes a worker,
 * 0 holds, +1 adds one. The original's Discrete(3) indices 0/1/2 are `delta + k`.
 */
export class DeltaSpace implements Space<number> {
  readonly n: number;
  constructor(readonly maxDelta: number) {
    this.n = 2 * maxDelta + 1;
  }
  contains(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= this.maxDelta;
  }
  sample(rng: Rng): number {
    return rng.int(-this.maxDelta, this.maxDelta);
  }
  /** Action index 0..n-1 (used by tabular and neural agents) -> delta. */
  delta(index: number): number {
    return index - this.maxDelta;
  }
  index(delta: number): number {
    return delta + this.maxDelta;
  }
}

/** A box of `low.length` real numbers with per-component bounds (bounds are advisory, not clipped). */
export class BoxSpace implements Space<number[]> {
  constructor(
    readonly low: readonly number[],
    readonly high: readonly number[],
    readonly names: readonly string[] = [],
  ) {
    if (low.length !== high.length) throw new RangeError('BoxSpace: low and high differ in length');
  }
  get size(): number {
    return this.low.length;
  }
  contains(value: unknown): value is number[] {
    if (!Array.isArray(value) || value.length !== this.low.length) return false;
    return value.every(
      (x, i) => typeof x === 'number' && Number.isFinite(x) && x >= (this.low[i] as number) - 1e-9 && x <= (this.high[i] as number) + 1e-9,
    );
  }
  /** Finite-shape check: right length, all finite numbers (values may exceed the advisory bounds). */
  hasShape(value: unknown): value is number[] {
    return Array.isArray(value) && value.length === this.low.length && value.every((x) => typeof x === 'number' && Number.isFinite(x));
  }
  sample(rng: Rng): number[] {
    return this.low.map((lo, i) => lo + rng.float() * ((this.high[i] as number) - lo));
  }
}
