import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import { reserveActions } from './actions.js';
import { GeneralController } from './controller.js';
import { FEATURE_NAMES } from './features.js';

const config = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });
const bounds = { minWorkers: 1, maxWorkers: 32 };
// input_q, worker_q, result_q, output_q (collected), workers, avg_time, max_time, arrival_rate, qos_rate
const obs = (_t: number, collected: number, workers = 10) => [0, 0, 0, collected, workers, 1.2, 2, 5, 1];

describe('GeneralController', () => {
  it('holds the count until it has measured the arrivals, then sizes the chosen reserve, more for a larger one', () => {
    const c = new GeneralController(reserveActions(config));
    expect(c.features(obs(0, 0), bounds, { time: 0, enqueuedTotal: 0, busyWorkers: 0 })).toHaveLength(FEATURE_NAMES.length);
    expect(c.delta(3, bounds)).toBe(0);
    const deltas = [0, 6].map((index) => {
      c.reset();
      for (let t = 0; t <= 40; t += 2) c.features(obs(t, 5 * t), bounds, { time: t, enqueuedTotal: 6 * t, busyWorkers: 7 });
      return c.delta(index, bounds);
    });
    expect(deltas[1]).toBeGreaterThan(deltas[0] as number);
  });
});
