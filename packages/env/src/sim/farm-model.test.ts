import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '@autofarm/core';
import { FarmModel } from './farm-model.js';

/**
 * A farm whose tasks are exponential with mean 1 s (gamma shape 1, a calibration so fine that
 * neither the size range nor integer sizes distort it), Poisson arrivals, c static workers and
 * no hop latency: an M/M/c queue.
 */
function mmc(lambda: number, duration: number, over: Record<string, unknown> = {}): Config {
  return parseConfig({
    workload: { base_rate: lambda * 60, phases: [{ name: 'flat', pattern: 'steady', multiplier: 1, duration }] },
    tasks: { processing_time: { mean: 1, shape: 1 }, image_size: { min: 1, max: 1_000_000 } },
    calibrated_model: { a: 1e-10, b: 1e-6 },
    sim: { scale_up_delay: 0, dispatch_latency: 0, collect_latency: 0, poll_interval: 0 },
    scaling: { max_workers: 64, initial_workers: 1 },
    ...over,
  });
}

/** Erlang C (stable recursion, reference anchors §E.3) and the M/M/c mean wait C / (cμ − λ). */
function erlangCWait(lambda: number, mu: number, c: number): number {
  const a = lambda / mu;
  let b = 1;
  for (let n = 1; n <= c; n++) b = (a * b) / (n + a * b);
  const C = (c * b) / (c - a * (1 - b));
  return C / (c * mu - lambda);
}

function meanWait(config: Config, c: number, seed: number): number {
  const model = new FarmModel(config);
  model.start(config, seed, c);
  const end = config.workload.phases[0]!.duration + 200;
  model.advanceTo(end);
  const done = model.metrics(Infinity).window;
  // Waiting time = end-to-end latency minus the task's own processing (no hops configured).
  const waits = done.map((t) => t.latency - t.processing);
  return waits.reduce((a, b) => a + b, 0) / waits.length;
}

describe('FarmModel against queueing theory', () => {
  it.each([
    [4, 5],
    [8, 10],
    [2, 3],
  ])('a static farm with λ=%d/s and c=%d matches the Erlang-C mean wait within a few percent', (lambda, c) => {
    // 4 seeds x 40 000 s (~160 000 tasks each at λ=4): the per-seed spread at ρ = 0.8 is ~3 %.
    const config = mmc(lambda, 40_000);
    const waits = [1, 2, 3, 4].map((s) => meanWait(config, c, s));
    const simulated = waits.reduce((a, b) => a + b, 0) / waits.length;
    const theory = erlangCWait(lambda, 1, c);
    expect(Math.abs(simulated - theory) / theory).toBeLessThan(0.05);
  });
});

describe('FarmModel worker lifecycle', () => {
  it('adds capacity only after the cold start', () => {
    const config = mmc(0.0001, 100, { sim: { scale_up_delay: 6, dispatch_latency: 0, collect_latency: 0, poll_interval: 0 } });
    const model = new FarmModel(config);
    model.start(config, 1, 1);
    model.scale(3);
    let m = model.metrics(8);
    expect([m.workers, m.readyWorkers]).toEqual([3, 1]);
    model.advanceTo(5.9);
    expect(model.metrics(8).readyWorkers).toBe(1);
    model.advanceTo(6.1);
    m = model.metrics(8);
    expect(m.readyWorkers).toBe(3);
    expect(m.workerSeconds).toBeCloseTo(6.1 * 3, 6);
  });

  it('removes a starting worker before an idle one and a busy one only after its task', () => {
    const config = mmc(50, 1, { sim: { scale_up_delay: 10, dispatch_latency: 0, collect_latency: 0, poll_interval: 0 } });
    const model = new FarmModel(config);
    model.start(config, 1, 2);
    model.advanceTo(0.5); // both workers busy under 50 tasks/s
    expect(model.metrics(1).busyWorkers).toBe(2);
    model.scale(3); // one starting
    model.scale(2); // the starting one goes
    expect(model.metrics(1).readyWorkers).toBe(2);
    model.scale(1); // a busy one is marked to leave after its task
    let m = model.metrics(1);
    expect([m.workers, m.busyWorkers, m.readyWorkers]).toEqual([1, 2, 1]);
    model.advanceTo(60);
    m = model.metrics(1);
    expect(m.busyWorkers).toBeLessThanOrEqual(1);
    expect(m.readyWorkers).toBe(1);
  });

  it('counts each task once and collects every one when given time', () => {
    const config = mmc(3, 50);
    const model = new FarmModel(config);
    model.start(config, 4, 6);
    model.advanceTo(500);
    const m = model.metrics(Infinity);
    expect(m.collectedTotal).toBe(m.tasksPlanned);
    expect(m.enqueuedTotal).toBe(m.tasksPlanned);
    expect(m.window).toHaveLength(m.tasksPlanned);
    expect(m.generationDone).toBe(true);
    expect([m.workerQueue, m.resultQueue, m.busyWorkers]).toEqual([0, 0, 0]);
  });

  it('adds the poll wait of an idle farm when poll_interval is set', () => {
    const base = mmc(0.5, 2000, { scaling: { max_workers: 64, initial_workers: 20 } });
    const polled = mmc(0.5, 2000, { scaling: { max_workers: 64, initial_workers: 20 }, sim: { scale_up_delay: 0, dispatch_latency: 0, collect_latency: 0, poll_interval: 0.1 } });
    const wait = (c: Config) => meanWait(c, 20, 3);
    // Idle farm, no queueing: the worker's and the collector's poll each add half a period on
    // average, 0.05 + 0.05 = 0.1 s.
    expect(wait(base)).toBeLessThan(0.001);
    expect(wait(polled)).toBeGreaterThan(0.08);
    expect(wait(polled)).toBeLessThan(0.12);
  });
});
