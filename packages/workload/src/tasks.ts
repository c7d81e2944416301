/**
 * Task sampling exactly as the original emitter (reference §4.4): a clipped gamma processing
 * time, the image size that the calibrated model maps to it, the model time of that integer
 * size, and the deadline. With the shipped settings: mean ≈ 1.472 s, std ≈ 0.674 s, ≈ 5 % of
 * draws clipped at t_max = 2.870 s.
 */
import { deadlineFor, gamma, modelTime, sizeForTime, type CalibratedModel, type Rng, type TasksConfig } from '@autofarm/core';

export interface SampledTask {
  /** Image side, pixels. */
  size: number;
  /** Simulated processing time a·size² + b, seconds. */
  processingTime: number;
  /** Relative deadline, seconds. */
  deadline: number;
}

export function sampleTask(rng: Rng, tasks: TasksConfig, model: CalibratedModel): SampledTask {
  const { mean, shape } = tasks.processing_time;
  const { min, max } = tasks.image_size;
  const tMin = modelTime(model, min);
  const tMax = modelTime(model, max);
  // Up to 5 candidates; the first above b wins, else the mean (the original's guard).
  let t = mean;
  for (let i = 0; i < 5; i++) {
    const candidate = gamma(rng, shape, mean / shape);
    if (candidate > model.b) {
      t = candidate;
      break;
    }
  }
  t = Math.min(tMax, Math.max(tMin, t));
  const size = Math.trunc(Math.min(max, Math.max(min, sizeForTime(model, t))));
  const processingTime = Math.max(0.001, modelTime(model, size));
  return { size, processingTime, deadline: deadlineFor(tasks, processingTime) };
}
