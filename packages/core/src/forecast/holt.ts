/**
 * Holt's linear trend (double exponential smoothing): a level and a per-sample trend.
 *   level_t = α·x_t + (1 − α)·(level_{t−1} + trend_{t−1})
 *   trend_t = β·(level_t − level_{t−1}) + (1 − β)·trend_{t−1}
 * The first sample sets the level and a zero trend. forecast(h) = level + h·trend.
 */
export class Holt {
  private level: number | null = null;
  private trend = 0;

  constructor(
    readonly alpha: number,
    readonly beta: number,
  ) {}

  reset(): void {
    this.level = null;
    this.trend = 0;
  }

  update(x: number): void {
    if (this.level === null) {
      this.level = x;
      this.trend = 0;
      return;
    }
    const previous = this.level;
    this.level = this.alpha * x + (1 - this.alpha) * (previous + this.trend);
    this.trend = this.beta * (this.level - previous) + (1 - this.beta) * this.trend;
  }

  /** Smoothed value `samples` samples ahead (null before the first sample). */
  forecast(samples = 0): number | null {
    return this.level === null ? null : this.level + samples * this.trend;
  }

  get smoothedLevel(): number | null {
    return this.level;
  }
}
