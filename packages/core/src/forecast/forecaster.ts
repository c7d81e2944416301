/**
 * A load forecaster fed only by the arrivals already counted: the emitter's enqueued counter
 * (PlatformSignals.enqueuedTotal, the Redis counter a live farm has). The production recipe
 * (anchors §B.3, §F.1): find the period explicitly, forecast one period back with a level correction
 * (seasonal naive), fall back to Holt's trend while no period is known, and price uncertainty
 * with an upper quantile of the forecaster's own recent errors over the horizon it is used for.
 *
 * The counter is read at any times; it is cut into `bin`-second rates (linear between
 * readings), and everything else runs on closed bins, so the forecast does not depend on how
 * often it is read.
 */
import { quantile } from '../stats.js';
import { Holt } from './holt.js';
import { autocorrelation, detectPeriod } from './period.js';

export interface ForecasterOptions {
  /** Seconds per rate bin. */
  bin: number;
  /** Seconds ahead the forecast covers: cold start + decision interval. */
  horizon: number;
  /** Seconds of the moving average the seasonal profile is read through (Poisson noise). */
  smoothing: number;
  /** Seconds of recent load compared with the same seconds one period earlier (the level correction). */
  levelWindow: number;
  /** Shortest and longest period searched, seconds. */
  minPeriod: number;
  maxPeriod: number;
  /** Seconds between two period searches. */
  periodEvery: number;
  /** Past periods averaged by the seasonal forecast (fewer while the history is shorter). */
  seasons: number;
  /** Upper quantile of the recent errors added to the point forecast. */
  quantile: number;
  /**
   * Seconds either side of the same time one period back whose maximum the seasonal forecast
   * takes (Grafana Mimir's trigger: last week's max over a shifted window): days repeat with
   * their timing moved, and a step seen a few seconds late costs a cold start.
   */
  seasonalWindow: number;
  /** Seconds of errors the quantile is taken over. */
  errorWindow: number;
  holtAlpha: number;
  holtBeta: number;
  /**
   * Seconds of counter history kept (older bins are dropped, so a forecaster that runs for days
   * beside a live farm holds bounded memory and searches a bounded history). The seasonal
   * forecast reaches back `seasons` x maxPeriod + levelWindow; the default, 4 x maxPeriod, keeps
   * every benchmark and training episode (at most ~45 min) whole.
   */
  history: number;
}

export const DEFAULT_FORECASTER: ForecasterOptions = {
  bin: 2,
  horizon: 8,
  smoothing: 12,
  levelWindow: 60,
  minPeriod: 16,
  maxPeriod: 900,
  periodEvery: 20,
  seasons: 3,
  quantile: 0.9,
  seasonalWindow: 8,
  errorWindow: 120,
  holtAlpha: 0.2,
  holtBeta: 0.03,
  history: 3600,
};

export interface Forecast {
  /** Peak of the point forecast over the horizon, tasks/s. */
  rate: number;
  /** `rate` plus the error quantile (never below `rate`). */
  upper: number;
  /** Detected period in seconds, or null (then the forecast is Holt's). */
  period: number | null;
  /** Autocorrelation at the period (0 without one): how much the load repeats. */
  strength: number;
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9), for p in (0, 1). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211027, 1];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];
  const poly = (cs: readonly number[], x: number) => cs.reduce((acc, k) => acc * x + k, 0);
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  const tail = (r: number) => poly(c, r) / poly(d, r);
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const u = q - 0.5;
  return (u * poly(a, u * u)) / poly(b, u * u);
}

export class Forecaster {
  /** Closed bins still kept; bin i (counted from the episode start) is bins[i - dropped]. */
  private readonly bins: number[] = [];
  private dropped = 0;
  private readonly holt: Holt;
  private readonly errors: number[] = [];
  /** Point forecasts of the mean rate over a horizon window, by the bin that window ends at. */
  private readonly pending = new Map<number, number>();
  private last: { time: number; total: number } | null = null;
  private binStartTotal = 0;
  private periodBins: number | null = null;
  private strength = 0;
  private current: Forecast = { rate: 0, upper: 0, period: null, strength: 0 };

  constructor(readonly options: ForecasterOptions = DEFAULT_FORECASTER) {
    this.holt = new Holt(options.holtAlpha, options.holtBeta);
  }

  reset(): void {
    this.bins.length = 0;
    this.dropped = 0;
    this.errors.length = 0;
    this.pending.clear();
    this.holt.reset();
    this.last = null;
    this.binStartTotal = 0;
    this.periodBins = null;
    this.strength = 0;
    this.current = { rate: 0, upper: 0, period: null, strength: 0 };
  }

  /** Read the counter: `total` tasks generated by `time` seconds after the episode start. */
  observe(time: number, total: number): void {
    const { bin } = this.options;
    if (this.last === null) {
      // the counter starts with the episode: bins are aligned to t = 0
      this.last = { time: 0, total: 0 };
    }
    const prev = this.last;
    if (time <= prev.time) return;
    for (let end = (this.closed + 1) * bin; end <= time + 1e-9; end = (this.closed + 1) * bin) {
      const atEnd = prev.total + ((total - prev.total) * (end - prev.time)) / (time - prev.time);
      this.closeBin((atEnd - this.binStartTotal) / bin);
      this.binStartTotal = atEnd;
    }
    this.last = { time, total };
  }

  /** The forecast as of the last closed bin. */
  forecast(): Forecast {
    return this.current;
  }

  /** Mean rate counted over the last `seconds` (whole bins; 0 before the first bin closes). */
  observedRate(seconds: number): number {
    const k = this.closed - 1;
    return this.meanOf(k - Math.max(1, Math.round(seconds / this.options.bin)) + 1, k);
  }

  /** Tasks/s of the closed bins kept (oldest first; at most `history` seconds), for tests and plots. */
  history(): readonly number[] {
    return this.bins;
  }

  private closeBin(rate: number): void {
    const o = this.options;
    this.bins.push(Math.max(0, rate));
    const k = this.closed - 1;
    this.holt.update(this.smoothed(k));
    const ahead = Math.max(1, Math.ceil(o.horizon / o.bin));
    const predicted = this.pending.get(k);
    if (predicted !== undefined) {
      this.pending.delete(k);
      this.errors.push(this.meanOf(k - ahead + 1, k) - predicted);
      if (this.errors.length > Math.max(1, Math.round(o.errorWindow / o.bin))) this.errors.shift();
    }
    if (k > 0 && k % Math.max(1, Math.round(o.periodEvery / o.bin)) === 0) this.searchPeriod();
    const path: number[] = [];
    for (let j = k + 1; j <= k + ahead; j++) path.push(this.pointAt(j, k));
    this.pending.set(k + ahead, path.reduce((s, x) => s + x, 0) / path.length);
    const wide = this.periodBins === null ? path : this.seasonalPeak(k, ahead);
    const peak = Math.max(0, ...path, ...wide);
    const margin = this.margin(path.reduce((s, x) => s + x, 0) / path.length, ahead * o.bin);
    this.current = {
      rate: peak,
      upper: peak + margin,
      period: this.periodBins === null ? null : this.periodBins * o.bin,
      strength: this.strength,
    };
    const keep = Math.max(1, Math.ceil(o.history / o.bin));
    if (this.bins.length > keep) this.dropped += this.bins.splice(0, this.bins.length - keep).length;
  }

  /** Bins closed since the episode start, the dropped ones included. */
  private get closed(): number {
    return this.dropped + this.bins.length;
  }

  /** Seasonal forecasts over the horizon widened by seasonalWindow on both sides. */
  private seasonalPeak(k: number, ahead: number): number[] {
    const extra = Math.round(this.options.seasonalWindow / this.options.bin);
    const out: number[] = [];
    for (let j = Math.max(k + 1 - extra, 0); j <= k + ahead + extra; j++) out.push(this.pointAt(j, k));
    return out;
  }

  /**
   * The error margin: the `quantile` of recent errors, less the part that is Poisson noise of
   * the counts. The M/G/c sizing already prices a known rate's Poisson arrivals, so only the
   * error of the RATE is added: with the errors' spread read as sd_e = (q - median) / z_q,
   * sd_rate = sqrt(sd_e^2 - rate / window), margin = median + z_q x sd_rate. E.g. pure Poisson
   * errors at 5 tasks/s over 8 s (sd 0.79) give a margin of ~0, not 1.0.
   */
  private margin(rate: number, window: number): number {
    if (this.errors.length < 5) return 0;
    const z = normalQuantile(this.options.quantile);
    const med = quantile(this.errors, 0.5);
    // the median itself (quantile 0.5, z = 0) has no spread to price: (q - median) / z would be 0 / 0
    if (z < 1e-9) return Math.max(0, med);
    const spread = (quantile(this.errors, this.options.quantile) - med) / z;
    const sdRate = Math.sqrt(Math.max(0, spread * spread - Math.max(0, rate) / window));
    return Math.max(0, med + z * sdRate);
  }

  /** Point forecast for bin `j` made when bin `k` closed. */
  private pointAt(j: number, k: number): number {
    const p = this.periodBins;
    if (p === null || j - p > k) return Math.max(0, this.holt.forecast(j - k) ?? 0);
    const w = Math.max(1, Math.round(this.options.levelWindow / this.options.bin));
    let sum = 0;
    let used = 0;
    for (let s = 1; s <= this.options.seasons && j - s * p >= this.dropped; s++) {
      // level correction: the last w bins against the same bins s periods earlier; 60 s at 5 tasks/s
      // is 300 tasks, so the ratio's Poisson noise is ~8 %, and a few seconds of timing jitter move little of it
      const before = this.meanOf(k - w + 1 - s * p, k - s * p);
      const ratio = before > 1e-9 ? Math.min(2, Math.max(0.5, this.meanOf(k - w + 1, k) / before)) : 1;
      sum += this.smoothed(j - s * p, k) * ratio;
      used++;
    }
    return used > 0 ? sum / used : Math.max(0, this.holt.forecast(j - k) ?? 0);
  }

  /** Moving average of the bins around `i` (only bins up to `upTo` exist yet). */
  private smoothed(i: number, upTo = this.closed - 1): number {
    const half = Math.floor(this.options.smoothing / this.options.bin / 2);
    return this.meanOf(i - half, Math.min(upTo, i + half));
  }

  private meanOf(from: number, to: number): number {
    const a = Math.max(this.dropped, from);
    const b = Math.min(this.closed - 1, to);
    if (b < a) return 0;
    let sum = 0;
    for (let i = a; i <= b; i++) sum += this.bins[i - this.dropped] as number;
    return sum / (b - a + 1);
  }

  /** The best lag within one block of `lag` on the bins themselves (blocks find the period to 2 bins; a step pattern needs it to 1). */
  private refine(lag: number): number {
    const xs = this.bins;
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    let best = lag;
    let bestR = -Infinity;
    for (let l = lag - 2; l <= lag + 2; l++) {
      if (l < 1 || l >= xs.length) continue;
      const r = autocorrelation(xs, l, m, v);
      if (r > bestR) [best, bestR] = [l, r];
    }
    return best;
  }

  private searchPeriod(): void {
    const o = this.options;
    // two-bin blocks halve the Poisson noise the autocorrelation sees (4 s at the default bin)
    const blocks: number[] = [];
    for (let i = 0; i + 1 < this.bins.length; i += 2) blocks.push(((this.bins[i] as number) + (this.bins[i + 1] as number)) / 2);
    const found = detectPeriod(blocks, {
      minLag: Math.max(2, Math.round(o.minPeriod / (2 * o.bin))),
      maxLag: Math.round(o.maxPeriod / (2 * o.bin)),
      minOverlap: 16,
      threshold: 0.3,
      z: 4,
    });
    this.periodBins = found ? this.refine(2 * found.lag) : null;
    this.strength = found ? found.strength : 0;
  }
}
