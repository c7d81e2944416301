/**
 * The observation: the original's 9 components (reference §7.6), computed by this one
 * function from backend-neutral WindowMetrics, so every backend reports them the same way.
 */
import { BoxSpace, OBSERVATION_NAMES, type Config, type Observation, type WindowMetrics } from '@autofarm/core';

/** Where the previous observation was taken: the arrival rate is measured from there. */
export interface ArrivalMark {
  time: number;
  enqueued: number;
}

export function observe(m: WindowMetrics, previous: ArrivalMark | null, episode: Config['episode']): Observation {
  let sum = 0;
  let max = 0;
  let met = 0;
  for (const t of m.window) {
    sum += t.latency;
    if (t.latency > max) max = t.latency;
    if (t.met) met++;
  }
  const n = m.window.length;
  const dt = previous ? m.time - previous.time : 0;
  // tasks/s since the previous observation (the original's rule, without its first-sample 0
  // after a reset: the reset's own observation is the reference).
  const arrivalRate = previous && dt > 0 ? Math.max(0, m.enqueuedTotal - previous.enqueued) / dt : 0;
  return [
    m.phasesPending,
    m.workerQueue,
    m.resultQueue,
    m.collectedTotal,
    m.workers,
    n > 0 ? sum / n : episode.empty_window_latency,
    n > 0 ? max : episode.empty_window_latency,
    arrivalRate,
    n > 0 ? met / n : episode.empty_window_qos,
  ];
}

/**
 * Advisory bounds (the original's, reference §7.2, output_q widened to the episode's planned tasks and
 * input_q to the number of phases, fixing §16.2 item 17). Values are not clipped.
 */
export function observationSpace(config: Config, tasksPlanned = 1140): BoxSpace {
  const { min_workers, max_workers } = config.scaling;
  const low = [0, 0, 0, 0, min_workers, 0, 0, 0, 0];
  const high = [
    config.workload.phases.length * config.workload.repeat.times,
    800,
    10,
    Math.max(1, tasksPlanned),
    max_workers,
    150,
    160,
    12,
    1,
  ];
  return new BoxSpace(low, high, OBSERVATION_NAMES);
}
