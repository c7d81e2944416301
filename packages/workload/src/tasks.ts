/**
 * Task sampling exactly as the original emitter (reference §4.4): core's sampleProcessingTime
 * (clipped gamma -> integer image size -> model time) plus the deadline.
 */
import { deadlineFor, sampleProcessingTime, type CalibratedModel, type Rng, type TasksConfig } from '@autofarm/core';

export interface SampledTask {
  /** Image side, pixels. */
  size: number;
  /** Simulated processing time a·size² + b, seconds. */
  processingTime: number;
  /** Relative deadline, seconds. */
  deadline: number;
}

export function sampleTask(rng: Rng, tasks: TasksConfig, model: CalibratedModel): SampledTask {
  const { size, processingTime } = sampleProcessingTime(rng, tasks, model);
  return { size, processingTime, deadline: deadlineFor(tasks, processingTime) };
}
