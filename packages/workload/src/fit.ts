/**
 * Does the workload fit its episode? An episode ends after episode.max_steps x
 * episode.step_duration seconds (40 x 8 = 320 s by default); a workload planned for longer is
 * cut there, and the tasks planned after the cut are never generated. QoS counts only the tasks
 * generated, so a cut workload is not an error in itself, but the user should know: a 1200 s
 * phase against the default episode runs only its first 320 s (issue 22 item 1).
 */
import type { Config } from '@autofarm/core';
import { episodePlan } from './episode.js';

export interface EpisodeFit {
  /** Nominal length of the workload (sum of its phase durations), seconds. */
  workloadSeconds: number;
  /** max_steps x step_duration, seconds. */
  episodeSeconds: number;
  fits: boolean;
  /** The smallest max_steps whose episode covers the workload. */
  stepsNeeded: number;
}

export function episodeFit(config: Pick<Config, 'workload' | 'episode' | 'seed'>): EpisodeFit {
  const { max_steps, step_duration } = config.episode;
  const workloadSeconds = episodePlan(config.workload, config.seed).duration;
  const episodeSeconds = max_steps * step_duration;
  // 1e-9 s of slack: 30 x 8 s must cover a 240 s workload despite floating-point sums.
  const stepsNeeded = Math.ceil(workloadSeconds / step_duration - 1e-9);
  return { workloadSeconds, episodeSeconds, fits: workloadSeconds <= episodeSeconds + 1e-9, stepsNeeded };
}

/** One line saying what is cut and how to avoid it (for a warning or an error). */
export function episodeFitMessage(fit: EpisodeFit, config: Pick<Config, 'episode'>): string {
  const { max_steps, step_duration } = config.episode;
  const s = (x: number) => `${Number(x.toPrecision(6))} s`;
  return (
    `the workload lasts ${s(fit.workloadSeconds)} but an episode ends after episode.max_steps x episode.step_duration = ` +
    `${max_steps} x ${s(step_duration)} = ${s(fit.episodeSeconds)}: tasks planned after that are never generated ` +
    `(QoS counts the generated ones); set episode.max_steps >= ${fit.stepsNeeded} (--max-steps) to run all of it`
  );
}
