/**
 * Experience replay: a fixed-capacity ring buffer of transitions (s, a, r, s', terminated) in flat
 * typed arrays, sampled uniformly WITHOUT replacement (as the original, reference §10.4).
 *
 * Invariants: `size` never exceeds `capacity`; once full, a push overwrites the oldest transition;
 * `sample` draws only from the `size` stored transitions and only through the given seeded stream,
 * so the same stream and the same pushes give the same batches.
 */
import type { Rng } from '@autofarm/core';

export interface Transition {
  observation: readonly number[];
  /** Action INDEX 0..n-1 (not the worker delta). */
  action: number;
  reward: number;
  nextObservation: readonly number[];
  /** True only for a real terminal state; a time-limit ending is stored as false (bootstrap). */
  terminated: boolean;
}

/** A mini-batch, row-major: row i of `observations` is observations[i*dim .. (i+1)*dim). */
export interface Batch {
  size: number;
  dim: number;
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  /** 1 where the transition ended in a terminal state, else 0. */
  terminated: Float32Array;
}

export class ReplayBuffer {
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly dim: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ReplayBuffer: capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`ReplayBuffer: dim must be a positive integer, got ${dim}`);
    this.obs = new Float32Array(capacity * dim);
    this.nextObs = new Float32Array(capacity * dim);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(t: Transition): void {
    if (t.observation.length !== this.dim || t.nextObservation.length !== this.dim) {
      throw new RangeError(
        `ReplayBuffer: expected observations of length ${this.dim}, got ${t.observation.length} and ${t.nextObservation.length}`,
      );
    }
    const i = this.next;
    this.obs.set(t.observation, i * this.dim);
    this.nextObs.set(t.nextObservation, i * this.dim);
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.dones[i] = t.terminated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** `batchSize` distinct stored transitions, uniformly at random (Floyd's algorithm: O(batchSize)). */
  sample(batchSize: number, rng: Rng): Batch {
    if (batchSize > this.count) throw new RangeError(`ReplayBuffer: cannot sample ${batchSize} distinct transitions from ${this.count}`);
    const picked = sampleDistinct(this.count, batchSize, rng);
    const d = this.dim;
    const batch: Batch = {
      size: batchSize,
      dim: d,
      observations: new Float32Array(batchSize * d),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObservations: new Float32Array(batchSize * d),
      terminated: new Float32Array(batchSize),
    };
    picked.forEach((j, row) => {
      batch.observations.set(this.obs.subarray(j * d, (j + 1) * d), row * d);
      batch.nextObservations.set(this.nextObs.subarray(j * d, (j + 1) * d), row * d);
      batch.actions[row] = this.actions[j] as number;
      batch.rewards[row] = this.rewards[j] as number;
      batch.terminated[row] = this.dones[j] as number;
    });
    return batch;
  }
}

/**
 * k distinct integers from 0..n-1, each k-subset equally likely (Floyd, "Programming Pearls"
 * col. 12), returned in the order drawn. Example: n = 5, k = 5 returns a permutation of 0..4.
 */
export function sampleDistinct(n: number, k: number, rng: Rng): number[] {
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let j = n - k; j < n; j++) {
    const t = rng.int(0, j);
    const v = chosen.has(t) ? j : t;
    chosen.add(v);
    order.push(v);
  }
  return order;
}
