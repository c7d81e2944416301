import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { poisson } from '../distributions.js';
import { DEFAULT_FORECASTER, Forecaster, normalQuantile, type Forecast } from './forecaster.js';
import { detectPeriod } from './period.js';

/** Feeds `forecaster` a Poisson counter of `rate(t)` tasks/s, read every `every` seconds up to `until`; returns the forecasts. */
function feed(forecaster: Forecaster, rate: (t: number) => number, until: number, seed: number, every = 2): Forecast[] {
  const rng = createRng(seed).stream('counts');
  const out: Forecast[] = [];
  let total = 0;
  for (let t = every; t <= until + 1e-9; t += every) {
    total += poisson(rng, rate(t - every / 2) * every);
    forecaster.observe(t, total);
    out.push(forecaster.forecast());
  }
  return out;
}

const canonicalDay = (t: number) => [1.5, 8.5, 5, 5][Math.floor((t % 240) / 60)] as number;

describe('period detection', () => {
  it('finds the period of a noisy sine within one bin', () => {
    const rng = createRng(1).stream('noise');
    const xs = Array.from({ length: 300 }, (_, i) => poisson(rng, 8 * (5 + 3 * Math.sin((2 * Math.PI * i) / 37))) / 8);
    const found = detectPeriod(xs, { minLag: 2, maxLag: 200, minOverlap: 16, threshold: 0.3, z: 4 });
    expect(found?.lag).toBeGreaterThanOrEqual(36);
    expect(found?.lag).toBeLessThanOrEqual(38);
    expect(found!.strength).toBeGreaterThan(0.5);
  });

  it('finds no period in Poisson noise (30 seeds)', () => {
    for (let seed = 0; seed < 30; seed++) {
      const rng = createRng(seed).stream('noise');
      const xs = Array.from({ length: 300 }, () => poisson(rng, 20));
      expect(detectPeriod(xs, { minLag: 2, maxLag: 200, minOverlap: 16, threshold: 0.3, z: 4 })).toBeNull();
    }
  });

  it('prefers a period to its multiples', () => {
    const xs = Array.from({ length: 240 }, (_, i) => (i % 20 < 10 ? 10 : 1));
    expect(detectPeriod(xs, { minLag: 2, maxLag: 200, minOverlap: 16, threshold: 0.3, z: 4 })?.lag).toBe(20);
  });
});

describe('Forecaster', () => {
  it('finds the 240 s day of the canonical phases from the counter within two days and a half', () => {
    for (const seed of [1, 2, 3]) {
      const f = new Forecaster();
      const out = feed(f, canonicalDay, 600, seed);
      expect(out.at(-1)?.period).toBeGreaterThanOrEqual(236);
      expect(out.at(-1)?.period).toBeLessThanOrEqual(244);
    }
  });

  it('reports no period on a steady Poisson stream', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = feed(new Forecaster(), () => 5, 1200, seed);
      expect(out.every((f) => f.period === null)).toBe(true);
      // the trend's forecast is unbiased: its mean over the last 500 forecasts is 5 +- 0.3 (sd of one ~0.55)
      const late = out.slice(100).map((f) => f.rate);
      expect(Math.abs(late.reduce((s, x) => s + x, 0) / late.length - 5)).toBeLessThan(0.3);
    }
  });

  it('sees a recurring step coming before it happens, where the trend cannot', () => {
    // day 4 of the canonical day: at t = 3 x 240 + 56 s the 1.5 -> 8.5 tasks/s step is 4 s ahead
    const f = new Forecaster();
    feed(f, canonicalDay, 3 * 240 + 56, 7);
    const seen = f.forecast();
    expect(seen.period).toBe(240);
    expect(seen.rate).toBeGreaterThan(6);
    const blind = new Forecaster({ ...DEFAULT_FORECASTER, minPeriod: 1000, maxPeriod: 1000 });
    feed(blind, canonicalDay, 3 * 240 + 56, 7);
    expect(blind.forecast().period).toBeNull();
    expect(blind.forecast().rate).toBeLessThan(3);
  });

  it("scales yesterday's shape by today's level", () => {
    // the same day at twice the rate from day 3 on: the level correction doubles the seasonal forecast
    const rate = (t: number) => canonicalDay(t) * (t >= 480 ? 2 : 1);
    const f = new Forecaster();
    feed(f, rate, 480 + 140, 3);
    // at 620 s the next 8 s are phase 3 (5 tasks/s, now 10)
    // (the peak of 12 noisy smoothed bins around it sits a little above 10)
    expect(f.forecast().rate).toBeGreaterThan(8);
    expect(f.forecast().rate).toBeLessThan(14);
  });

  it('follows a ramp with the trend while no period is known', () => {
    const f = new Forecaster();
    const out = feed(f, (t) => 1 + 0.05 * t, 200, 4);
    // 8 s ahead of 200 s: 1 + 0.05 x 208 = 11.4
    expect(out.at(-1)!.period).toBeNull();
    expect(out.at(-1)!.rate).toBeGreaterThan(9.5);
    expect(out.at(-1)!.rate).toBeLessThan(13);
  });

  it('leaves the Poisson noise out of its margin: the queueing model already prices it', () => {
    // sd of the mean rate over 8 s = sqrt(5 / 8) = 0.79 tasks/s of counting noise: the raw 90 % quantile
    // would add 1.28 x 0.79 = 1.0; what remains is the error of the trend's own rate estimate
    const margins: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const last = feed(new Forecaster(), () => 5, 600, seed).at(-1)!;
      expect(last.upper).toBeGreaterThanOrEqual(last.rate);
      margins.push(last.upper - last.rate);
    }
    expect(margins.reduce((s, x) => s + x, 0) / margins.length).toBeLessThan(0.75);
  });

  it('adds a margin when the rate itself moves unpredictably', () => {
    // a new level U(2, 10) tasks/s every 10 s: the trend cannot know it, its errors are mostly the rate's
    const levels = createRng(3).stream('levels');
    const table = Array.from({ length: 61 }, () => 2 + 8 * levels.float());
    const margins: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const last = feed(new Forecaster(), (t) => table[Math.floor(t / 10)] as number, 600, seed).at(-1)!;
      margins.push(last.upper - last.rate);
    }
    expect(margins.reduce((s, x) => s + x, 0) / margins.length).toBeGreaterThan(1);
  });

  it('at quantile 0.5 adds the median error only, a finite margin (no spread to price)', () => {
    // z = 0 at the median: the spread (q - median) / z was 0 / 0, and the NaN margin sized the farm at its maximum
    const last = feed(new Forecaster({ ...DEFAULT_FORECASTER, quantile: 0.5 }), (t) => 2 + (t % 20 < 10 ? 6 : 0), 600, 4).at(-1)!;
    expect(Number.isFinite(last.upper)).toBe(true);
    expect(last.upper).toBeGreaterThanOrEqual(last.rate);
  });

  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281551566, 7);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 7);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 7);
  });

  it('gives the same forecast however often the counter is read', () => {
    const a = new Forecaster();
    const b = new Forecaster();
    const rng = createRng(9).stream('counts');
    let total = 0;
    for (let t = 1; t <= 600; t++) {
      total += poisson(rng, canonicalDay(t));
      a.observe(t, total);
      if (t % 2 === 0) b.observe(t, total);
    }
    expect(a.forecast()).toEqual(b.forecast());
    expect(a.history()).toEqual(b.history());
  });

  it('is deterministic and forgets everything on reset', () => {
    const f = new Forecaster();
    const first = feed(f, canonicalDay, 600, 5);
    f.reset();
    expect(f.forecast().rate).toBe(0);
    expect(feed(f, canonicalDay, 600, 5)).toEqual(first);
  });

  it('keeps only `history` seconds of bins, and forecasts a long-running load as with its whole history', () => {
    const bounded = new Forecaster({ ...DEFAULT_FORECASTER, history: 1200 });
    const whole = new Forecaster({ ...DEFAULT_FORECASTER, history: Number.POSITIVE_INFINITY });
    // the canonical 240 s day for 25 days, read every 2 s (one forecaster's memory would grow to 15 000 bins)
    const a = feed(bounded, canonicalDay, 6000, 12);
    const b = feed(whole, canonicalDay, 6000, 12);
    expect(bounded.history()).toHaveLength(600);
    expect(whole.history()).toHaveLength(3000);
    const last = a.at(-1) as Forecast;
    expect(last.period).toBe(240);
    // the seasonal forecast reads 3 days back (720 s) and 60 s more: inside 1 200 s, so it is the same forecast
    expect(last.rate).toBeCloseTo((b.at(-1) as Forecast).rate, 9);
  });
});
