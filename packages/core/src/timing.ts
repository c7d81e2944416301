/**
 * The calibrated timing model and deadlines (reference §4.4, §3.11).
 *
 * time(size) = a·size² + b. Worked example with the shipped calibration
 * (a = 1.71e-7 s/px², b = 1.67e-3 s): 2048 px -> 0.7189 s, deadline 2 × 0.7189 = 1.438 s.
 */
import type { CalibratedModel, TasksConfig } from './config/schema.js';

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
