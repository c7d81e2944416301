/**
 * The general agents' reward: minus the cost of a step, with a price per worker-second (1) and a
 * price per missed deadline (`missPrice` worker-seconds), divided by max_workers × step so one
 * scale serves every farm size:
 *
 *   r = −(meanWorkers × step + missPrice × misses) / (maxWorkers × step)
 *
 * Its optimum is the cheapest farm that misses few deadlines, whatever the worker count that
 * takes: no `balanced_workers`. Example (12 of 32 workers, 8 s step, price 100, 1 miss):
 * −(96 + 100) / 256 = −0.766. Dividing by a per-episode constant does not change which policy
 * is best for that episode, only the learning scale.
 * When is a miss charged? Collected misses alone come too late: once the queue runs away, its
 * tasks miss only when (if ever) they are collected, many discounted steps later, and a first
 * version learned to shed workers in an overload because the misses it caused were invisible
 * (measured: 80 % validation QoS). So the charge is on *committed* misses,
 *   C = collected misses + max(0, worker_q − workers),
 * the queued tasks beyond one per worker: with deadlines at 2× the task time, a task that must
 * wait for a whole round of the workers is already late. Each step pays the increase of C, and
 * a scale-up that drains the queue gets the charge back. On the last step C becomes collected
 * misses + every task never collected, so the episode's charges sum to exactly its misses (QoS
 * counts unfinished tasks as misses).
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
