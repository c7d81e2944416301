/**
 * The calibrated timing model and deadlines (reference §4.4, §3.11).
 *
 * time(size) = a·size² + b. Worked example with the shipped calibration
 * (a = 1.71e-7 s/px², b = 1.67e-3 s): 2048 px -> 0.7189 s, deadline 2 × 0.7189 = 1.438 s.
 */
import type { CalibratedModel, TasksConfig } from './config/schema.js';
import { gamma } from './distributions.js';
import type { Rng } from './rng.js';

export function modelTime(model: CalibratedModel, size: number): number {
  return model.a * size * size + model.b;
}

/** Continuous image side whose model time is `seconds` (before clamping to the size range). */
export function sizeForTime(model: CalibratedModel, seconds: number): number {
  return Math.sqrt(Math.max((seconds - model.b) / Math.max(model.a, 1e-12), 0));
}

/** deadline = clamp(coefficient × t_sim, floor, cap); the collector judges it end to end. */
export function deadlineFor(tasks: TasksConfig, simulatedTime: number): number {
  const { coefficient, floor, cap } = tasks.deadline;
  return Math.min(cap, Math.max(floor, coefficient * simulatedTime));
}

/**
 * One task's image size and simulated processing time exactly as the original emitter drew
 * them (reference §4.4): up to 5 gamma candidates, the first above b wins (else the mean);
 * clipped to [t(min size), t(max size)]; mapped to an integer size; the model time of that size.
 * With the shipped settings: mean ≈ 1.472 s, std ≈ 0.674 s, ≈ 5 % at t_max = 2.870 s.
 * Here (not in workload) so that the queueing baselines, which import core only, size against
 * the very distribution the emitter samples.
 */
export function sampleProcessingTime(rng: Rng, tasks: TasksConfig, model: CalibratedModel): { size: number; processingTime: number } {
  const { mean, shape } = tasks.processing_time;
  const { min, max } = tasks.image_size;
  let t = mean;
  for (let i = 0; i < 5; i++) {
    const candidate = gamma(rng, shape, mean / shape);
    if (candidate > model.b) {
      t = candidate;
      break;
    }
  }
  t = Math.min(modelTime(model, max), Math.max(modelTime(model, min), t));
  const size = Math.trunc(Math.min(max, Math.max(min, sizeForTime(model, t))));
  return { size, processingTime: Math.max(0.001, modelTime(model, size)) };
}
