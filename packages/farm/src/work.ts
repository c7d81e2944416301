/**
 * What a worker does with a task (config tasks.work):
 * - `emulate`: hold for task_processing_time_simulated program seconds, as the original did
 *   (real time = that / time_scale);
 * - `image`: run the real image pipeline (packages/farm/src/image) on an image of the task's
 *   size; the processing time reported is the measured one, in program seconds (measured real
 *   seconds x time_scale, so use time_scale 1 with real work).
 * A work function returns null when aborted before the task finished.
 */
import { hashSeed, UsageError, type TaskMessage, type TasksConfig } from '@autofarm/core';
import type { ProgramClock } from './clock.js';

export type Work = (task: TaskMessage, clock: ProgramClock, signal?: AbortSignal) => Promise<{ processing: number } | null>;

export const emulateWork: Work = async (task, clock, signal) => {
  const seconds = task.task_processing_time_simulated;
  return (await clock.sleep(seconds, signal)) ? { processing: seconds } : null;
};

type ProcessImage = (size: number, seed: number) => Promise<{ totalSeconds: number; stages: Record<string, number> }>;

export async function imageWork(): Promise<Work> {
  // Loaded only in image mode: it pulls in sharp.
  const mod = (await import('./image/index.js')) as { processImage?: ProcessImage };
  const processImage = mod.processImage;
  if (typeof processImage !== 'function')
    throw new UsageError(
      'tasks.work is "image" but the image pipeline (packages/farm/src/image) does not export processImage yet; use tasks.work: emulate',
    );
  return async (task, clock, signal) => {
    if (signal?.aborted) return null;
    const { totalSeconds } = await processImage(task.task_data_size, hashSeed(0, task.task_id));
    return { processing: totalSeconds * clock.timeScale };
  };
}

export async function workFor(mode: TasksConfig['work']): Promise<Work> {
  return mode === 'image' ? imageWork() : emulateWork;
}
