import { describe, expect, it } from 'vitest';
import type { StepInfo } from '@autofarm/core';
import { CostReward, stepCost } from './cost.js';

const info = (o: Partial<StepInfo>): StepInfo =>
  ({ meanWorkers: 12, workers: 12, queueLength: 0, qosViolations: 0, unfinishedTasks: 0, ...o }) as StepInfo;
const b = { stepDuration: 8, maxWorkers: 32 };

describe('cost reward', () => {
  it('charges a worker-second 1 and a miss the miss price, over max_workers x step: 12 workers and 1 miss at 100 is -0.766', () => {
    expect(stepCost({ ...b, missPrice: 100 }, 12, 1)).toBeCloseTo(-(96 + 100) / 256, 9);
  });

  it('has the same optimum on a ten times larger farm (every term scales by ten)', () => {
    expect(stepCost({ stepDuration: 8, maxWorkers: 320, missPrice: 100 }, 120, 10)).toBeCloseTo(
      stepCost({ ...b, missPrice: 100 }, 12, 1),
      12,
    );
  });

  it('charges queued tasks beyond one per worker at once and refunds them when the queue drains', () => {
    const c = new CostReward(100);
    c.reset(info({}));
    const late = c.step(info({ queueLength: 20, workers: 12 }), b, false); // 8 committed misses
    expect(late).toBeCloseTo(-(96 + 800) / 256, 9);
    const drained = c.step(info({ queueLength: 0, workers: 12, qosViolations: 3 }), b, false); // 3 really missed
    expect(drained).toBeCloseTo(-(96 - 500) / 256, 9);
  });

  it("sums to the episode's misses: every uncollected task counts on the last step", () => {
    const c = new CostReward(1);
    c.reset(info({}));
    let total = 0;
    total += c.step(info({ meanWorkers: 0, queueLength: 30, workers: 10 }), b, false);
    total += c.step(info({ meanWorkers: 0, queueLength: 40, workers: 10, qosViolations: 5, unfinishedTasks: 45 }), b, true);
    expect(total * 32 * 8).toBeCloseTo(-(5 + 45), 9);
  });
});
