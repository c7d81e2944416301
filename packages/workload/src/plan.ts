/**
 * The phase plan of one episode: the phases in the order they run (shuffled if asked) with
 * their start times, and the expected arrival rate at any time (the oracle's schedule).
 */
import { createRng, shuffled, type Phase, type Rng, type WorkloadConfig, type WorkloadSchedule } from '@autofarm/core';
import { multiplierAt, targetTasks } from './patterns.js';
import { repeatDays } from './repeat.js';

export interface PlannedPhase {
  phase: Phase;
  /** Index in workload.phases (before shuffling). */
  index: number;
  /** Nominal start, seconds after the episode start. */
  start: number;
  /** 0-based day of a recurring workload (0 for a one-shot one). */
  day: number;
  /** Circular shift of the pattern, as a fraction of the phase (workload.repeat's timing jitter of a one-phase day). */
  offset: number;
}

export interface PhasePlan {
  phases: PlannedPhase[];
  /** Nominal length of the emission, seconds (sum of phase durations). */
  duration: number;
  /** Days of a recurring workload (workload.repeat.times; 1 = one-shot), each `dayDuration` long. */
  days: number;
  dayDuration: number;
  baseRate: number;
  process: WorkloadConfig['arrival_process'];
}

/**
 * Order the phases. With phase_shuffle and a phase_shuffle_seed the order is drawn from a stream
 * of that seed keyed by the episode seed: reproducible, yet different across episodes (the
 * original re-seeded per episode and so repeated one permutation, reference §16.1 item 7). Without a
 * shuffle seed the order comes from the episode's own stream.
 */
export function buildPhasePlan(workload: WorkloadConfig, episodeRng: Rng, episodeSeed: number): PhasePlan {
  let order = workload.phases.map((phase, index) => ({ phase, index }));
  if (workload.phase_shuffle) {
    const rng =
      workload.phase_shuffle_seed === null
        ? episodeRng.stream('phase-order')
        : createRng(workload.phase_shuffle_seed).stream(`episode-${episodeSeed}`);
    order = shuffled(order, rng);
  }
  const days = repeatDays(order, workload.repeat, episodeRng.stream('repeat'));
  let start = 0;
  const phases = days.map(({ phase, index, day, offset }) => {
    const planned = { phase, index, start, day, offset };
    start += phase.duration;
    return planned;
  });
  const dayDuration = workload.phases.reduce((s, p) => s + p.duration, 0);
  return {
    phases,
    duration: start,
    days: workload.repeat.times,
    dayDuration,
    baseRate: workload.base_rate,
    process: workload.arrival_process,
  };
}

/** Rate multiplier of a planned phase at fraction `p` of it (its pattern shifted by the day's offset). */
export function plannedMultiplierAt(planned: PlannedPhase, p: number): number {
  if (planned.offset === 0) return multiplierAt(planned.phase, p);
  const shifted = p + planned.offset;
  return multiplierAt(planned.phase, shifted >= 1 ? shifted - 1 : shifted);
}

/** Expected arrival rate in tasks/s at `time` (0 outside the emission). */
export function rateAt(plan: PhasePlan, time: number): number {
  for (const p of plan.phases) {
    if (time >= p.start && time < p.start + p.phase.duration) {
      if (plan.process === 'controlled') return targetTasks(p.phase, plan.baseRate) / p.phase.duration;
      return (plan.baseRate / 60) * plannedMultiplierAt(p, (time - p.start) / p.phase.duration);
    }
  }
  return 0;
}

export function scheduleOf(plan: PhasePlan): WorkloadSchedule {
  return { rateAt: (t) => rateAt(plan, t), duration: plan.duration };
}

/**
 * Tasks an episode generates on average: the exact count for the controlled process, the
 * integral of the rate for the NHPP (midpoint rule, 1000 points per phase), times the days of
 * a recurring workload. Canonical workload: 1140 either way.
 */
export function expectedTaskCount(workload: WorkloadConfig): number {
  let total = 0;
  for (const phase of workload.phases) {
    if (workload.arrival_process === 'controlled') {
      total += targetTasks(phase, workload.base_rate);
      continue;
    }
    const n = 1000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += multiplierAt(phase, (i + 0.5) / n);
    total += (workload.base_rate / 60) * phase.duration * (sum / n);
  }
  // a repeated day has the same expectation: the level factor has mean 1 and the timing jitter moves rate between phases
  return total * workload.repeat.times;
}
