import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import { randomEpisodeConfig } from './domain.js';

const base = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });

describe('randomEpisodeConfig', () => {
  it('draws the same workload and farm for the same seed, another for another seed', () => {
    expect(randomEpisodeConfig(base, 7)).toEqual(randomEpisodeConfig(base, 7));
    expect(randomEpisodeConfig(base, 8).workload).not.toEqual(randomEpisodeConfig(base, 7).workload);
  });

  it('stays inside the configured ranges and produces a valid configuration', () => {
    const d = base.general.domain;
    for (let seed = 0; seed < 200; seed++) {
      const c = randomEpisodeConfig(base, seed);
      expect(() => configSchema.parse(c)).not.toThrow();
      expect(c.workload.phases.length).toBeGreaterThanOrEqual(d.phases[0]);
      expect(c.workload.phases.length).toBeLessThanOrEqual(d.phases[1]);
      expect(c.tasks.processing_time.mean).toBeGreaterThanOrEqual(d.task_time_mean[0] - 0.01);
      expect(c.tasks.processing_time.mean).toBeLessThanOrEqual(d.task_time_mean[1] + 0.01);
      expect(c.scaling.initial_workers).toBeLessThanOrEqual(c.scaling.max_workers);
      // one step per decision, and 80 s after the last arrival to drain
      const arrivals = c.workload.repeat.times * c.workload.phases.reduce((s, p) => s + p.duration, 0);
      expect(c.episode.step_duration).toBe(base.general.cadence);
      expect(c.episode.max_steps * c.episode.step_duration).toBeGreaterThanOrEqual(arrivals + 80);
    }
  });

  it("keeps the peak servable: the busiest day's peak rate x task time stays within peak_utilisation of max_workers", () => {
    for (let seed = 0; seed < 100; seed++) {
      const c = randomEpisodeConfig(base, seed);
      const peak = Math.max(
        ...c.workload.phases.map((p) =>
          Math.max(p.multiplier, p.oscillation?.max ?? 0, p.spike?.height ?? 0, p.ramp?.from ?? 0, p.ramp?.to ?? 0),
        ),
      );
      const busiestDay = 1 + c.workload.repeat.level_jitter;
      const busy = ((c.workload.base_rate * peak * busiestDay) / 60) * c.tasks.processing_time.mean;
      expect(busy / c.scaling.max_workers).toBeLessThanOrEqual(base.general.domain.peak_utilisation[1] + 0.02);
    }
  });

  it('varies every axis over the training seeds: patterns, arrival process, task time and farm size', () => {
    const cs = Array.from({ length: 100 }, (_, s) => randomEpisodeConfig(base, s));
    expect(new Set(cs.flatMap((c) => c.workload.phases.map((p) => p.pattern)))).toEqual(
      new Set(['steady', 'oscillation', 'spike', 'ramp']),
    );
    expect(new Set(cs.map((c) => c.workload.arrival_process))).toEqual(new Set(['nhpp', 'controlled']));
    expect(Math.max(...cs.map((c) => c.scaling.max_workers)) / Math.min(...cs.map((c) => c.scaling.max_workers))).toBeGreaterThan(4);
    expect(
      Math.max(...cs.map((c) => c.tasks.processing_time.mean)) / Math.min(...cs.map((c) => c.tasks.processing_time.mean)),
    ).toBeGreaterThan(4);
  });

  it('makes about recurring_share of the episodes recur as days, within the configured days and jitters', () => {
    const d = base.general.domain;
    const cs = Array.from({ length: 400 }, (_, s) => randomEpisodeConfig(base, s));
    const recurring = cs.filter((c) => c.workload.repeat.times > 1);
    // binomial(400, 0.5): sd 10, so 4.5 sd either side
    expect(Math.abs(recurring.length - 400 * d.recurring_share)).toBeLessThan(45);
    for (const c of recurring) {
      expect(c.workload.repeat.times).toBeGreaterThanOrEqual(d.days[0]);
      expect(c.workload.repeat.times).toBeLessThanOrEqual(d.days[1]);
      expect(c.workload.repeat.level_jitter).toBeGreaterThanOrEqual(d.level_jitter[0]);
      expect(c.workload.repeat.level_jitter).toBeLessThanOrEqual(d.level_jitter[1]);
      expect(c.workload.repeat.time_jitter).toBeLessThanOrEqual(d.time_jitter[1]);
    }
    for (const c of cs.filter((c) => c.workload.repeat.times === 1))
      expect(c.workload.repeat).toEqual({ times: 1, level_jitter: 0, time_jitter: 0 });
  });

  it('draws farms down to a handful of workers (the 5-worker cap of OpenFaaS CE) and up to 128', () => {
    const sizes = Array.from({ length: 400 }, (_, s) => randomEpisodeConfig(base, s).scaling.max_workers);
    expect(sizes.filter((n) => n <= 5).length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...sizes)).toBeGreaterThan(100);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(128);
  });
});
