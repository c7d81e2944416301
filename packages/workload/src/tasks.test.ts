import { describe, expect, it } from 'vitest';
import { createRng, modelTime, parseConfig } from '@autofarm/core';
import { sampleTask } from './tasks.js';

const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });
const tMax = modelTime(config.calibrated_model, 4096);
const N = 50_000;

describe('sampleTask (reference §4.4)', () => {
  const rng = createRng(2024);
  const tasks = Array.from({ length: N }, () => sampleTask(rng, config.tasks, config.calibrated_model));
  const times = tasks.map((t) => t.processingTime);
  const mean = times.reduce((a, b) => a + b, 0) / N;
  const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / N);

  it('has mean ≈ 1.472 s and std ≈ 0.674 s', () => {
    expect(mean).toBeCloseTo(1.472, 1);
    expect(Math.abs(mean - 1.472)).toBeLessThan(0.015);
    expect(Math.abs(sd - 0.674)).toBeLessThan(0.015);
  });

  it('clips about 5 % of draws at t_max = 2.870 s', () => {
    expect(tMax).toBeCloseTo(2.8704, 3);
    const clipped = times.filter((t) => t >= tMax - 1e-9).length / N;
    expect(clipped).toBeGreaterThan(0.045);
    expect(clipped).toBeLessThan(0.062);
  });

  it('derives an integer image size in range and the model time of that size', () => {
    for (const t of tasks.slice(0, 2000)) {
      expect(Number.isInteger(t.size)).toBe(true);
      expect(t.size).toBeGreaterThanOrEqual(512);
      expect(t.size).toBeLessThanOrEqual(4096);
      expect(t.processingTime).toBeCloseTo(modelTime(config.calibrated_model, t.size), 12);
    }
  });

  it('sets deadline = clamp(2 × t_sim, 0.1, 30): 2048 px -> 1.438 s', () => {
    for (const t of tasks.slice(0, 2000)) expect(t.deadline).toBeCloseTo(Math.min(30, Math.max(0.1, 2 * t.processingTime)), 12);
    const t2048 = modelTime(config.calibrated_model, 2048);
    expect(2 * t2048).toBeCloseTo(1.438, 3);
  });

  it('is reproducible for a seed', () => {
    const a = createRng(5);
    const b = createRng(5);
    expect(Array.from({ length: 50 }, () => sampleTask(a, config.tasks, config.calibrated_model))).toEqual(
      Array.from({ length: 50 }, () => sampleTask(b, config.tasks, config.calibrated_model)),
    );
  });
});
