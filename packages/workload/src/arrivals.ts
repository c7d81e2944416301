/**
 * Arrival processes: the times (seconds after the episode start) at which the emitter creates
 * tasks. Both are computed up front from a seeded stream, so the simulator and the real emitter
 * (which sleeps until each time) see the same arrivals for the same seed.
 */
import { exponential, poisson, type Rng } from '@autofarm/core';
import { maxMultiplier, targetTasks } from './patterns.js';
import { plannedMultiplierAt, type PhasePlan } from './plan.js';

export interface Arrival {
  time: number;
  /** Position of the phase in the plan (0-based). */
  phase: number;
}

/**
 * Non-homogeneous Poisson process following each phase's pattern, by thinning
 * (Lewis & Shedler 1979): candidates at the phase's peak rate, each kept with probability
 * rate(t) / peak.
 */
export function nhppArrivals(plan: PhasePlan, rng: Rng): Arrival[] {
  const out: Arrival[] = [];
  plan.phases.forEach((planned, phaseIndex) => {
    const { phase, start } = planned;
    const peak = (plan.baseRate / 60) * maxMultiplier(phase);
    if (peak <= 0) return;
    let t = 0;
    for (;;) {
      t += exponential(rng, 1 / peak);
      if (t >= phase.duration) break;
      const rate = (plan.baseRate / 60) * plannedMultiplierAt(planned, t / phase.duration);
      if (rng.float() * peak < rate) out.push({ time: start + t, phase: phaseIndex });
    }
  });
  return out;
}

/**
 * The original emitter's pacing (reference §4.5), kept to reproduce its experiments: each phase
 * emits exactly floor(base × multiplier × duration / 60) tasks in windows of `window` seconds;
 * a window draws n ~ Poisson(remaining / windows_left) (the last takes the rest), spaces its n
 * tasks by Exponential(window / n) gaps, and a window that draws 0 is skipped without waiting.
 * Phases run back to back, so a phase's real length is the sum of its gaps, not its duration.
 */
export function controlledArrivals(plan: PhasePlan, rng: Rng, window: number): Arrival[] {
  const out: Arrival[] = [];
  let clock = 0;
  plan.phases.forEach(({ phase }, phaseIndex) => {
    const total = targetTasks(phase, plan.baseRate);
    const windows = Math.max(1, Math.floor(phase.duration / window));
    let generated = 0;
    for (let w = 0; w < windows; w++) {
      const remaining = total - generated;
      const left = windows - w;
      const n = left > 1 ? Math.min(poisson(rng, remaining / left), remaining) : remaining;
      if (n <= 0) continue;
      for (let i = 0; i < n; i++) {
        out.push({ time: clock, phase: phaseIndex });
        clock += exponential(rng, window / n);
      }
      generated += n;
    }
  });
  return out;
}

export function generateArrivals(plan: PhasePlan, rng: Rng, window: number): Arrival[] {
  return plan.process === 'controlled' ? controlledArrivals(plan, rng, window) : nhppArrivals(plan, rng);
}
