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
 * What a learner needs of its action set: `n` actions by index 0..n-1, each mapped to the action
 * the env takes, and the index greedy ties go to (the action nearest to it wins a tie).
 */
export interface ActionSpace extends Space<number> {
  readonly n: number;
  /** Index that ties prefer: DeltaSpace's hold (0 workers), DiscreteSpace's middle action. */
  readonly preferred: number;
  /** Action index 0..n-1 -> the env's action. */
  action(index: number): number;
  /** The env's action -> its index. */
  index(action: number): number;
}

/**
 * The worker-count deltas {-k..+k}. Actions ARE the deltas (not indices): -1 removes a worker,
 * 0 holds, +1 adds one. The original's Discrete(3) indices 0/1/2 are `delta + k`.
 */
export class DeltaSpace implements ActionSpace {
  readonly n: number;
  readonly preferred: number;
  constructor(readonly maxDelta: number) {
    this.n = 2 * maxDelta + 1;
    this.preferred = maxDelta;
  }
  contains(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= this.maxDelta;
  }
  sample(rng: Rng): number {
    return rng.int(-this.maxDelta, this.maxDelta);
  }
  action(index: number): number {
    return index - this.maxDelta;
  }
  index(delta: number): number {
    return delta + this.maxDelta;
  }
}

/**
 * n actions that are their own indices 0..n-1 (Gymnasium's Discrete(n)): the general agents'
 * reserves, whose meaning (a sizing, not a delta) the env wrapping them knows. Ties prefer the
 * middle action (index floor((n − 1) / 2)), which is the median reserve when the reserves are sorted.
 */
export class DiscreteSpace implements ActionSpace {
  readonly preferred: number;
  constructor(readonly n: number) {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`DiscreteSpace: expected n >= 1 actions, found ${n}`);
    this.preferred = Math.floor((n - 1) / 2);
  }
  contains(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < this.n;
  }
  sample(rng: Rng): number {
    return rng.int(0, this.n - 1);
  }
  action(index: number): number {
    return index;
  }
  index(action: number): number {
    return action;
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
