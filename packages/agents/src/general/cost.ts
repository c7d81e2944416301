/**
 * The general agents' reward: minus the cost of a step, a worker-second at 1 and a missed
 * deadline at `missPrice`, divided by max_workers × step so one scale serves every farm size:
 *
 *   r = −(meanWorkers × step + missPrice × misses) / (maxWorkers × step)
 *
 * E.g. 12 of 32 workers, 8 s step, price 100, 1 miss: −(96 + 100) / 256 = −0.766. A step pays the
 * increase of *committed* misses (collected misses + the queue beyond one task per worker), and the
 * last step every uncollected task, so an episode's charges sum to its misses (and its rewards
 * to about −episodeCost / (maxWorkers × step), env's episode-stats.ts). Why: docs/general-training.md.
 */
import type { StepInfo } from '@autofarm/core';

export interface CostInputs {
  stepDuration: number;
  maxWorkers: number;
  missPrice: number;
}

/** Tracks misses between steps; `reset` at every episode start. */
export class CostReward {
  private committed = 0;

  constructor(private readonly missPrice: number) {}

  reset(info: StepInfo): void {
    this.committed = committedMisses(info, false);
  }

  /** The reward of the step whose info this is; `ended` counts every uncollected task. */
  step(info: StepInfo, bounds: { stepDuration: number; maxWorkers: number }, ended: boolean): number {
    const now = committedMisses(info, ended);
    const misses = now - this.committed;
    this.committed = now;
    return stepCost(
      { stepDuration: bounds.stepDuration, maxWorkers: bounds.maxWorkers, missPrice: this.missPrice },
      info.meanWorkers,
      misses,
    );
  }
}

export function stepCost(c: CostInputs, meanWorkers: number, misses: number): number {
  return -(meanWorkers * c.stepDuration + c.missPrice * misses) / (c.maxWorkers * c.stepDuration);
}

/** Collected misses plus the queued tasks beyond one per worker (all uncollected ones at the end). */
export function committedMisses(info: StepInfo, ended: boolean): number {
  return info.qosViolations + (ended ? info.unfinishedTasks : Math.max(0, info.queueLength - info.workers));
}
