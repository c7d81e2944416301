import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@autofarm/core';
import { episodePlan, episodeWorkload } from './episode.js';
import { rateAt, expectedTaskCount } from './plan.js';

const shipped = loadConfig(new URL('../../../configuration.yml', import.meta.url).pathname);

function recurring(config: Config, repeat: Partial<Config['workload']['repeat']>): Config {
  return { ...config, workload: { ...config.workload, repeat: { times: 1, level_jitter: 0, time_jitter: 0, ...repeat } } };
}

const jittered = recurring(shipped, { times: 5, level_jitter: 0.2, time_jitter: 0.1 });

describe('recurring workloads (workload.repeat)', () => {
  it('leaves a one-shot workload exactly as it was', () => {
    const plain = episodeWorkload(shipped, 7);
    const once = episodeWorkload(recurring(shipped, { times: 1 }), 7);
    expect(once.arrivals).toEqual(plain.arrivals);
    expect(once.plan.days).toBe(1);
    expect(once.plan.phases.map((p) => p.phase)).toEqual(shipped.workload.phases);
  });

  it('draws the same days and arrivals from the same seed, and other ones from another', () => {
    const a = episodeWorkload(jittered, 11);
    const b = episodeWorkload(jittered, 11);
    const c = episodeWorkload(jittered, 12);
    expect(b.plan).toEqual(a.plan);
    expect(b.arrivals).toEqual(a.arrivals);
    expect(c.plan.phases.map((p) => p.phase.multiplier)).not.toEqual(a.plan.phases.map((p) => p.phase.multiplier));
  });

  it('keeps every day at its nominal length and moves only the inner boundaries', () => {
    const plan = episodePlan(jittered.workload, 3);
    expect(plan.phases).toHaveLength(20);
    expect(plan.dayDuration).toBe(240);
    expect(plan.duration).toBeCloseTo(1200, 9);
    for (let d = 0; d < 5; d++) expect(plan.phases[4 * d]!.start).toBeCloseTo(240 * d, 9);
    const moved = plan.phases.filter((p, i) => i % 4 !== 3 && Math.abs(p.phase.duration - 60) > 1e-9);
    expect(moved.length).toBeGreaterThan(0);
    // every phase is 60 s, so each boundary moves by at most 6 s: a phase lies within [48, 72] s
    for (const p of plan.phases) expect(Math.abs(p.phase.duration - 60)).toBeLessThanOrEqual(12 + 1e-9);
  });

  it("gives the oracle's schedule the jittered days (rateAt follows the day's level)", () => {
    const plan = episodePlan(jittered.workload, 5);
    const day2 = plan.phases[4]!;
    const level = day2.phase.multiplier / shipped.workload.phases[0]!.multiplier;
    expect(rateAt(plan, day2.start + 1)).toBeCloseTo((shipped.workload.base_rate / 60) * shipped.workload.phases[0]!.multiplier * level, 9);
    expect(rateAt(plan, 1199)).toBeGreaterThan(0);
    expect(rateAt(plan, 1201)).toBe(0);
  });

  it('draws fresh arrivals every day, about the expected count in all', () => {
    const w = episodeWorkload(jittered, 21);
    const perDay = [0, 0, 0, 0, 0];
    for (const a of w.arrivals) perDay[Math.floor(a.time / 240)]! += 1;
    expect(new Set(perDay).size).toBe(5);
    expect(expectedTaskCount(jittered.workload)).toBeCloseTo(5 * 1140, 0);
  });

  it('draws day levels uniform on 1 +- level_jitter (mean, variance and spread over 4000 days)', () => {
    // U(-1, 1) has mean 0 and variance 1/3; 4000 draws give a standard error of 0.009 on the mean
    const u: number[] = [];
    for (let seed = 0; seed < 800; seed++) {
      const plan = episodePlan(jittered.workload, seed);
      for (let d = 0; d < 5; d++) u.push((plan.phases[4 * d]!.phase.multiplier / shipped.workload.phases[0]!.multiplier - 1) / 0.2);
    }
    const mean = u.reduce((s, x) => s + x, 0) / u.length;
    const variance = u.reduce((s, x) => s + (x - mean) ** 2, 0) / u.length;
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(variance).toBeGreaterThan(1 / 3 - 0.03);
    expect(variance).toBeLessThan(1 / 3 + 0.03);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThanOrEqual(1);
    // each quarter of [-1, 1] holds a quarter of the draws (1000 +- 4 sd of 27)
    for (let q = 0; q < 4; q++) {
      const n = u.filter((x) => x >= -1 + q / 2 && x < -0.5 + q / 2).length;
      expect(Math.abs(n - 1000)).toBeLessThan(110);
    }
  });

  it('moves phase boundaries uniformly within +- time_jitter of the shorter phase', () => {
    const shifts: number[] = [];
    for (let seed = 0; seed < 400; seed++) {
      const plan = episodePlan(jittered.workload, seed);
      for (let d = 0; d < 5; d++) shifts.push((plan.phases[4 * d]!.phase.duration - 60) / 6);
    }
    const mean = shifts.reduce((s, x) => s + x, 0) / shifts.length;
    const variance = shifts.reduce((s, x) => s + (x - mean) ** 2, 0) / shifts.length;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - 1 / 3)).toBeLessThan(0.04);
    expect(Math.max(...shifts.map(Math.abs))).toBeLessThanOrEqual(1);
  });

  it('shifts the pattern of a one-phase day instead, keeping the day length', () => {
    const diurnal = recurring(
      {
        ...shipped,
        workload: {
          ...shipped.workload,
          phases: [{ name: 'day', pattern: 'oscillation', multiplier: 1, duration: 480, oscillation: { min: 0.2, max: 2, cycles: 1 } }],
        },
      },
      { times: 3, time_jitter: 0.1 },
    );
    const plan = episodePlan(diurnal.workload, 4);
    expect(plan.phases.map((p) => p.phase.duration)).toEqual([480, 480, 480]);
    const offsets = plan.phases.map((p) => (p.offset > 0.5 ? p.offset - 1 : p.offset));
    for (const o of offsets) expect(Math.abs(o)).toBeLessThanOrEqual(0.1);
    expect(offsets.some((o) => o !== 0)).toBe(true);
    // the day's peak (a quarter into the nominal day) moves by the offset
    const peak = (d: number) => {
      let best = 0;
      for (let t = 0; t < 480; t += 0.5) if (rateAt(plan, 480 * d + t) > rateAt(plan, 480 * d + best)) best = t;
      return best;
    };
    for (let d = 0; d < 3; d++) expect(peak(d)).toBeCloseTo(480 * (0.25 - (offsets[d] as number)), -1);
  });
});
