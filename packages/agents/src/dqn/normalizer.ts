/**
 * Observation normalisation for the DQN: running mean and variance per component (Welford),
 * x̂ = clip((x − mean) / sqrt(var + 1e-8), ±clip).
 *
 * Why not the original's fixed min-max over the observation-space bounds (reference §10.2)? Those bounds
 * were copied from one run and are wide: worker_q ∈ [0, 800] squeezes the queue lengths that
 * matter (0-30) into [0, 0.04], output_q's bound depends on the workload's task count, and
 * clipping at the bound hides anything beyond it (§16.2 item 17). Running statistics put every
 * component on a unit scale whatever the workload. The replay buffer therefore stores RAW
 * observations and normalises them when sampled, with the current statistics, so a batch is
 * always normalised consistently; the statistics are updated only while training and saved
 * with the model (normalization.json), frozen for evaluation.
 *
 * Invariants: `count` only grows; a component that never varied normalises to 0, not NaN.
 */

export interface NormalizationState {
  kind: 'running';
  count: number;
  mean: number[];
  /** Population variance (M2 / count). */
  var: number[];
  clip: number;
}

export class RunningNormalizer {
  private n = 0;
  private readonly mu: Float64Array;
  private readonly m2: Float64Array;

  constructor(
    readonly dim: number,
    readonly clip = 5,
  ) {
    this.mu = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  get count(): number {
    return this.n;
  }

  update(x: readonly number[]): void {
    this.n++;
    for (let i = 0; i < this.dim; i++) {
      const v = x[i] as number;
      const d = v - (this.mu[i] as number);
      this.mu[i] = (this.mu[i] as number) + d / this.n;
      this.m2[i] = (this.m2[i] as number) + d * (v - (this.mu[i] as number));
    }
  }

  /** Normalise `rows` row-major observations from `src` into `out` (same length). */
  normalizeInto(src: ArrayLike<number>, out: Float32Array): Float32Array {
    const sd = this.stdDevs();
    for (let k = 0; k < src.length; k++) {
      const i = k % this.dim;
      const z = ((src[k] as number) - (this.mu[i] as number)) / (sd[i] as number);
      out[k] = Math.max(-this.clip, Math.min(this.clip, z));
    }
    return out;
  }

  normalize(x: readonly number[]): Float32Array {
    return this.normalizeInto(x, new Float32Array(x.length));
  }

  private stdDevs(): Float64Array {
    const sd = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) sd[i] = Math.sqrt((this.n > 0 ? (this.m2[i] as number) / this.n : 1) + 1e-8);
    return sd;
  }

  toJSON(): NormalizationState {
    const variance = Array.from(this.m2, (m) => (this.n > 0 ? m / this.n : 1));
    return { kind: 'running', count: this.n, mean: Array.from(this.mu), var: variance, clip: this.clip };
  }

  static fromJSON(s: NormalizationState): RunningNormalizer {
    const r = new RunningNormalizer(s.mean.length, s.clip);
    r.n = s.count;
    s.mean.forEach((m, i) => {
      r.mu[i] = m;
      r.m2[i] = (s.var[i] as number) * s.count;
    });
    return r;
  }
}
