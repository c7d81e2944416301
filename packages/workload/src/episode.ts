/**
 * Everything random about one episode's workload, from the episode seed alone: the phase plan,
 * the arrival times and the task stream. The simulator and the real emitter both call this,
 * so for one seed they create the same tasks at the same (program) times.
 */
import { createRng, type Config, type Rng } from '@autofarm/core';
import { generateArrivals, type Arrival } from './arrivals.js';
import { buildPhasePlan, type PhasePlan } from './plan.js';
import { sampleTask, type SampledTask } from './tasks.js';

export interface EpisodeWorkload {
  plan: PhasePlan;
  arrivals: Arrival[];
  /** Draws the next task; call once per arrival, in arrival order. */
  nextTask(): SampledTask;
}

/** The phase plan of the episode with this seed (the clairvoyant oracle's schedule comes from it). */
export function episodePlan(workload: Config['workload'], seed: number): PhasePlan {
  return buildPhasePlan(workload, createRng(seed).stream('phases'), seed);
}

export function episodeWorkload(config: Pick<Config, 'workload' | 'tasks' | 'calibrated_model'>, seed: number): EpisodeWorkload {
  const root = createRng(seed);
  const plan = episodePlan(config.workload, seed);
  const arrivals = generateArrivals(plan, root.stream('arrivals'), config.workload.window_duration);
  const taskRng: Rng = root.stream('tasks');
  return { plan, arrivals, nextTask: () => sampleTask(taskRng, config.tasks, config.calibrated_model) };
}
