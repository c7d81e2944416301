/**
 * Recurring workloads (`workload.repeat`): the day's phases played `times` times, each day with
 * its own draws from the episode's `repeat` stream:
 * - level: every rate of the day x U(1 - level_jitter, 1 + level_jitter);
 * - timing: each boundary between two phases of the day moves by U(-1, 1) x time_jitter x the
 *   shorter of the two, so a phase keeps at least 1 - 2 x 0.45 = 10 % of its length; a one-phase
 *   day has no inner boundary, so its pattern is shifted circularly by up to time_jitter of it.
 * Days keep their nominal length, so day d starts at d x (sum of durations): a history of whole
 * days is the period a forecaster looks for, and day-split scores fall on step boundaries.
 */
import type { Phase, RepeatConfig, Rng } from '@autofarm/core';

export interface DayPhase {
  phase: Phase;
  /** Index in workload.phases (before shuffling). */
  index: number;
  /** 0-based day. */
  day: number;
  /** Circular shift of the pattern as a fraction of the phase (one-phase days only; else 0). */
  offset: number;
}

/** `phase` with every rate multiplied by `level` and a new duration (a fresh trace object, so its cached shape is rebuilt). */
export function scaledPhase(phase: Phase, level: number, duration: number): Phase {
  return {
    ...phase,
    multiplier: phase.multiplier * level,
    duration,
    ...(phase.oscillation
      ? { oscillation: { ...phase.oscillation, min: phase.oscillation.min * level, max: phase.oscillation.max * level } }
      : {}),
    ...(phase.spike ? { spike: { ...phase.spike, height: phase.spike.height * level } } : {}),
    ...(phase.ramp ? { ramp: { from: phase.ramp.from * level, to: phase.ramp.to * level } } : {}),
    ...(phase.trace ? { trace: { ...phase.trace } } : {}),
  };
}

/** The days of one episode from one day's ordered phases; `times` 1 without jitter returns the day unchanged. */
export function repeatDays(day: ReadonlyArray<{ phase: Phase; index: number }>, repeat: RepeatConfig, rng: Rng): DayPhase[] {
  if (repeat.times === 1 && repeat.level_jitter === 0 && repeat.time_jitter === 0) {
    return day.map(({ phase, index }) => ({ phase, index, day: 0, offset: 0 }));
  }
  const out: DayPhase[] = [];
  const uniform = () => 2 * rng.float() - 1;
  for (let d = 0; d < repeat.times; d++) {
    const level = 1 + repeat.level_jitter * uniform();
    const nominal = day.map(({ phase }) => phase.duration);
    const durations = [...nominal];
    // move each inner boundary; the shift is bounded by the shorter neighbour so none turns negative
    for (let b = 0; b + 1 < nominal.length; b++) {
      const shift = repeat.time_jitter * Math.min(nominal[b] as number, nominal[b + 1] as number) * uniform();
      durations[b] = (durations[b] as number) + shift;
      durations[b + 1] = (durations[b + 1] as number) - shift;
    }
    const offset = day.length === 1 ? repeat.time_jitter * uniform() : 0;
    day.forEach(({ phase, index }, i) => {
      out.push({ phase: scaledPhase(phase, level, durations[i] as number), index, day: d, offset: offset < 0 ? offset + 1 : offset });
    });
  }
  return out;
}
