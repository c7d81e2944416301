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
    const polled = mmc(0.5, 2000, {
      scaling: { max_workers: 64, initial_workers: 20 },
      sim: { scale_up_delay: 0, dispatch_latency: 0, collect_latency: 0, poll_interval: 0.1 },
    });
    const wait = (c: Config) => meanWait(c, 20, 3);
    // Idle farm, no queueing: the worker's and the collector's poll each add half a period on
    // average, 0.05 + 0.05 = 0.1 s.
    expect(wait(base)).toBeLessThan(0.001);
    expect(wait(polled)).toBeGreaterThan(0.08);
    expect(wait(polled)).toBeLessThan(0.12);
  });
});

describe("FarmModel.fork (the hindsight yardstick's model)", () => {
  const config = parseConfig({
    workload: {
      base_rate: 400,
      phases: [{ name: 'burst', pattern: 'spike', multiplier: 0.5, duration: 120, spike: { at: 0.3, width: 0.3, height: 2 } }],
    },
    scaling: { max_workers: 32, initial_workers: 6 },
  });
  const plan: Array<[number, number]> = [
    [8, 14],
    [16, 3],
    [24, 20],
    [40, 9],
    [56, 12],
  ];

  function drive(model: FarmModel, from: number): void {
    for (const [at, workers] of plan) {
      if (at <= from) continue;
      model.advanceTo(at);
      model.scale(workers);
    }
    model.advanceTo(200);
  }

  it('runs on to the same end as the farm it was copied from under the same scaling', () => {
    for (const seed of [1, 2, 3]) {
      const original = new FarmModel(config);
      original.start(config, seed, 6);
      original.advanceTo(20);
      const fork = original.fork();
      drive(original, 20);
      drive(fork, 20);
      const a = original.metrics(1000);
      const b = fork.metrics(1000);
      expect(b.collectedTotal).toBe(a.collectedTotal);
      expect(b.metTotal).toBe(a.metTotal);
      expect(b.workerSeconds).toBeCloseTo(a.workerSeconds, 9);
      expect(fork.lateTotal()).toBe(original.lateTotal());
    }
  });

  it('leaves the original untouched when the copy is driven elsewhere', () => {
    const a = new FarmModel(config);
    const b = new FarmModel(config);
    a.start(config, 7, 6);
    b.start(config, 7, 6);
    a.advanceTo(30);
    b.advanceTo(30);
    const fork = a.fork();
    fork.scale(1);
    fork.advanceTo(90);
    drive(a, 30);
    drive(b, 30);
    expect(a.metrics(1000)).toEqual(b.metrics(1000));
  });

  it('counts as late the tasks still queued past their deadline', () => {
    const model = new FarmModel(config);
    model.start(config, 4, 1);
    model.advanceTo(60);
    const late = model.lateTotal();
    const m = model.metrics(0);
    expect(late).toBeGreaterThan(m.collectedTotal - m.metTotal);
  });
});
