/**
 * Tiny environments for the DQN's own tests and benchmarks (not the farm): fast, deterministic,
 * and with a known best policy, so learning can be checked in seconds.
 */
import {
  BoxSpace,
  DeltaSpace,
  OBSERVATION_NAMES,
  createRng,
  type Env,
  type Observation,
  type ResetResult,
  type StepInfo,
  type StepResult,
} from '@autofarm/core';

function info(step: number, workers: number, reward: number, total: number): StepInfo {
  return {
    step,
    time: step,
    requestedDelta: 0,
    appliedDelta: 0,
    workers,
    meanWorkers: workers,
    queueLength: 0,
    qosRate: 1,
    episodeQos: 1,
    totalReward: total,
    scalingActions: 0,
    qosViolations: 0,
    processedTasks: 0,
    enqueuedTotal: 0,
    unfinishedTasks: 0,
    episodeFinalQos: null,
    metrics: {} as StepInfo['metrics'],
    latencies: [],
  };
}

/**
 * "Reach the set-point": a worker count w in [1, 10] that the agent moves by −1/0/+1; the set-point
 * w* (3 or 8, drawn per episode from the seed) is shown in the observation (component 7).
 * Reward −|w − w*| per step; the episode is truncated after `horizon` steps and terminates with
 * +5 when the agent holds w = w* by choosing 0 there. The best policy walks to w* and stops.
 */
export class SetPointEnv implements Env {
  readonly observationSpace = new BoxSpace([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 1, 1, 1, 10, 1, 1, 10, 1], OBSERVATION_NAMES);
  readonly actionSpace = new DeltaSpace(1);
  readonly bounds = { minWorkers: 1, maxWorkers: 10, stepDuration: 1, maxDelta: 1 };
  readonly deterministic = true;
  private w = 5;
  private goal = 3;
  private t = 0;
  private total = 0;

  constructor(readonly horizon = 20) {}

  private obs(): Observation {
    return [0, 0, 0, 0, this.w, 0, 0, this.goal, 1];
  }

  async reset(options: { seed?: number } = {}): Promise<ResetResult> {
    // A named stream: the root stream's first draw is close to 1 for small seeds.
    const rng = createRng(options.seed ?? 0).stream('set-point');
    this.goal = rng.float() < 0.5 ? 3 : 8;
    this.w = rng.int(1, 10);
    this.t = 0;
    this.total = 0;
    return { observation: this.obs(), info: info(0, this.w, 0, 0) };
  }

  async step(action: number): Promise<StepResult> {
    this.t++;
    const atGoal = this.w === this.goal;
    this.w = Math.max(1, Math.min(10, this.w + action));
    const terminated = atGoal && action === 0;
    const reward = terminated ? 5 : -Math.abs(this.w - this.goal);
    this.total += reward;
    const truncated = !terminated && this.t >= this.horizon;
    return { observation: this.obs(), reward, terminated, truncated, info: info(this.t, this.w, reward, this.total) };
  }

  async close(): Promise<void> {}
}
