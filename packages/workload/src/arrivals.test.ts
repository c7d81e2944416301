import { describe, expect, it } from 'vitest';
import { createRng, loadConfig, parseConfig, type Config } from '@autofarm/core';
import { controlledArrivals, nhppArrivals } from './arrivals.js';
import { episodePlan, episodeWorkload } from './episode.js';
import { buildPhasePlan, expectedTaskCount, rateAt } from './plan.js';

const shipped = loadConfig(new URL('../../../configuration.yml', import.meta.url).pathname);

function withProcess(config: Config, process: 'nhpp' | 'controlled'): Config {
  return { ...config, workload: { ...config.workload, arrival_process: process } };
}

describe('controlled arrivals (the original emitter)', () => {
  it('reproduces the original exact per-phase counts 90 / 450 / 300 / 300', () => {
    const config = withProcess(shipped, 'controlled');
    for (const seed of [1, 2, 3]) {
      const plan = buildPhasePlan(config.workload, createRng(seed), seed);
      const arrivals = controlledArrivals(plan, createRng(seed).stream('a'), 1);
      const perPhase = [0, 0, 0, 0];
      for (const a of arrivals) perPhase[a.phase]! += 1;
      expect(perPhase).toEqual([90, 450, 300, 300]);
      expect(arrivals.every((a, i) => i === 0 || a.time >= arrivals[i - 1]!.time)).toBe(true);
    }
  });

  it('runs each phase at the constant mean rate target / duration (about 240 s in all)', () => {
    const config = withProcess(shipped, 'controlled');
    const plan = buildPhasePlan(config.workload, createRng(9), 9);
    const arrivals = controlledArrivals(plan, createRng(9).stream('a'), 1);
    expect(arrivals.at(-1)!.time).toBeGreaterThan(200);
    expect(arrivals.at(-1)!.time).toBeLessThan(260);
    expect(rateAt(plan, 90)).toBeCloseTo(7.5, 9);
    expect(rateAt(plan, 150)).toBeCloseTo(5, 9);
  });
});

describe('nhpp arrivals', () => {
  it('follows the fast oscillation: per-window counts track the pattern rate', () => {
    // One long fast-oscillation phase, counts pooled per 1/8 of a cycle over 400 cycles.
    const config = parseConfig({
      workload: {
        base_rate: 300,
        phases: [
          { name: 'osc', pattern: 'oscillation_fast', multiplier: 1, duration: 6000, oscillation: { min: 0.3, max: 1.7, cycles: 400 } },
        ],
      },
    });
    const plan = buildPhasePlan(config.workload, createRng(1), 1);
    const arrivals = nhppArrivals(plan, createRng(11));
    const period = 6000 / 400;
    const bins = new Array<number>(8).fill(0);
    for (const a of arrivals) bins[Math.floor(((a.time % period) / period) * 8)]! += 1;
    for (let b = 0; b < 8; b++) {
      // Expected count: ∫ rate over the bin, 400 times.
      let expected = 0;
      for (let i = 0; i < 100; i++) expected += rateAt(plan, ((b + (i + 0.5) / 100) / 8) * period) * (period / 8 / 100);
      expected *= 400;
      expect(Math.abs(bins[b]! - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
    // The peak bins carry several times the trough bins: the phase really oscillates.
    expect(Math.max(...bins) / Math.min(...bins)).toBeGreaterThan(3);
  });

  it('keeps the episode total near the expected 1140 tasks of the canonical workload', () => {
    expect(expectedTaskCount(shipped.workload)).toBeCloseTo(1140, 6);
    const totals = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => episodeWorkload(shipped, s).arrivals.length);
    const avg = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(Math.abs(avg - 1140)).toBeLessThan(3 * Math.sqrt(1140 / totals.length));
  });

  it('supports spike and ramp patterns', () => {
    const config = parseConfig({
      workload: {
        base_rate: 60,
        phases: [
          { name: 'spike', pattern: 'spike', multiplier: 1, duration: 100, spike: { at: 0.5, width: 0.1, height: 10 } },
          { name: 'ramp', pattern: 'ramp', multiplier: 1, duration: 100, ramp: { from: 0, to: 4 } },
        ],
      },
    });
    const plan = buildPhasePlan(config.workload, createRng(1), 1);
    expect(rateAt(plan, 10)).toBeCloseTo(1, 9);
    expect(rateAt(plan, 55)).toBeCloseTo(10, 9);
    expect(rateAt(plan, 150)).toBeCloseTo(2, 9);
    expect(expectedTaskCount(config.workload)).toBeCloseTo(100 + 90 + 200, 6);
  });
});

describe('trace replay', () => {
  // Counts 10 then 30 per 60 s interval over 120 s: mean 20, so multipliers 0.5 then 1.5.
  const config = parseConfig({
    workload: {
      base_rate: 600,
      phases: [{ name: 'trace', pattern: 'trace', multiplier: 1, duration: 120, trace: { counts: [10, 30], interval: 60 } }],
    },
  });

  it('follows the counts, normalised so the phase mean is multiplier x base_rate', () => {
    const plan = buildPhasePlan(config.workload, createRng(1), 1);
    expect(rateAt(plan, 30)).toBeCloseTo(5, 9);
    expect(rateAt(plan, 90)).toBeCloseTo(15, 9);
    expect(expectedTaskCount(config.workload)).toBeCloseTo(1200, 6);
  });

  it("draws about the trace's share of arrivals in each interval", () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const counts = seeds.map((s) => {
      const arrivals = episodeWorkload(config, s).arrivals;
      return [arrivals.filter((a) => a.time < 60).length, arrivals.filter((a) => a.time >= 60).length];
    });
    const first = counts.reduce((a, c) => a + c[0]!, 0) / seeds.length;
    const second = counts.reduce((a, c) => a + c[1]!, 0) / seeds.length;
    // Poisson means 300 and 900 per interval; 4 standard errors over 8 episodes.
    expect(Math.abs(first - 300)).toBeLessThan(4 * Math.sqrt(300 / 8));
    expect(Math.abs(second - 900)).toBeLessThan(4 * Math.sqrt(900 / 8));
  });

  it('repeats the trace when the phase is longer than it', () => {
    const long = parseConfig({
      workload: {
        base_rate: 600,
        phases: [{ name: 't', pattern: 'trace', multiplier: 1, duration: 240, trace: { counts: [10, 30], interval: 60 } }],
      },
    });
    const plan = buildPhasePlan(long.workload, createRng(1), 1);
    expect(rateAt(plan, 150)).toBeCloseTo(5, 9);
    expect(rateAt(plan, 210)).toBeCloseTo(15, 9);
  });
});

describe('episodes and phase shuffling', () => {
  it('derives the same workload from the same seed', () => {
    const a = episodeWorkload(shipped, 77);
    const b = episodeWorkload(shipped, 77);
    expect(a.arrivals).toEqual(b.arrivals);
    expect([a.nextTask(), a.nextTask()]).toEqual([b.nextTask(), b.nextTask()]);
  });

  it('keeps the canonical order without shuffling', () => {
    expect(episodePlan(shipped.workload, 1).phases.map((p) => p.index)).toEqual([0, 1, 2, 3]);
  });

  it('shuffles per episode, reproducibly for a shuffle seed', () => {
    const workload = { ...shipped.workload, phase_shuffle: true, phase_shuffle_seed: 42 };
    const orders = [1, 2, 3, 4, 5, 6].map((s) =>
      episodePlan(workload, s)
        .phases.map((p) => p.index)
        .join(''),
    );
    expect(new Set(orders).size).toBeGreaterThan(1);
    expect(orders[0]).toBe(
      episodePlan(workload, 1)
        .phases.map((p) => p.index)
        .join(''),
    );
    const plan = episodePlan(workload, 3);
    expect(plan.phases.map((p) => p.start)).toEqual([0, 60, 120, 180]);
  });
});
