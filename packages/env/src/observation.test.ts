import { describe, expect, it } from 'vitest';
import { parseConfig, type WindowMetrics } from '@autofarm/core';
import { observe } from './observation.js';

const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });

function metrics(over: Partial<WindowMetrics> = {}): WindowMetrics {
  return {
    time: 16,
    phasesPending: 2,
    workerQueue: 9,
    resultQueue: 1,
    collectedTotal: 192,
    metTotal: 180,
    workers: 12,
    readyWorkers: 12,
    busyWorkers: 12,
    enqueuedTotal: 300,
    tasksPlanned: 1140,
    generationDone: false,
    window: [
      { latency: 1, deadline: 2, met: true, processing: 1 },
      { latency: 3, deadline: 2, met: false, processing: 1 },
    ],
    workerSeconds: 100,
    deadLetters: 0,
    ...over,
  };
}

describe('observe', () => {
  it('maps the metrics to the 9 components in the original order and units', () => {
    const obs = observe(metrics(), { time: 8, enqueued: 260 }, config.episode);
    expect(obs).toEqual([2, 9, 1, 192, 12, 2, 3, 5, 0.5]);
  });

  it('reports no arrival rate without a previous mark', () => {
    expect(observe(metrics(), null, config.episode)[7]).toBe(0);
  });

  it('uses the configured defaults for an empty window', () => {
    const obs = observe(metrics({ window: [] }), null, config.episode);
    expect([obs[5], obs[6], obs[8]]).toEqual([1.5, 1.5, 1]);
    const strict = parseConfig({ workload: config.workload, episode: { empty_window_qos: 0, empty_window_latency: 0 } });
    const o2 = observe(metrics({ window: [] }), null, strict.episode);
    expect([o2[5], o2[6], o2[8]]).toEqual([0, 0, 0]);
  });
});
