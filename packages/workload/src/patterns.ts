/**
 * Phase patterns -> arrival rate. Rates are multipliers of workload.base_rate (tasks/min) at a
 * point `p` in [0, 1) of the phase. Unlike the original emitter, whose oscillation phases never
 * oscillated (reference §4.5, §16.1 item 1), these rates drive the arrivals.
 */
import type { Phase } from '@autofarm/core';

/** Rate multiplier of `phase` at fraction `p` of its duration. */
export function multiplierAt(phase: Phase, p: number): number {
  switch (phase.pattern) {
    case 'steady':
      return phase.multiplier;
    case 'oscillation':
    case 'oscillation_slow':
    case 'oscillation_fast': {
      // mid + amp·sin(2π·cycles·p): e.g. min 0.5, max 1.5, 1 cycle -> 1.0 ± 0.5, mean 1.0.
      const o = phase.oscillation ?? { min: phase.multiplier, max: phase.multiplier, cycles: 1 };
      const mid = (o.min + o.max) / 2;
      const amp = (o.max - o.min) / 2;
      return Math.max(0, mid + amp * Math.sin(2 * Math.PI * o.cycles * p));
    }
    case 'spike': {
      const s = phase.spike ?? { at: 0, width: 0, height: phase.multiplier };
      return p >= s.at && p < s.at + s.width ? s.height : phase.multiplier;
    }
    case 'ramp': {
      const r = phase.ramp ?? { from: phase.multiplier, to: phase.multiplier };
      return r.from + (r.to - r.from) * p;
    }
  }
}

/** Largest multiplier over the phase (the thinning bound of the NHPP). */
export function maxMultiplier(phase: Phase): number {
  switch (phase.pattern) {
    case 'steady':
      return phase.multiplier;
    case 'oscillation':
    case 'oscillation_slow':
    case 'oscillation_fast':
      return phase.oscillation ? phase.oscillation.max : phase.multiplier;
    case 'spike':
      return Math.max(phase.multiplier, phase.spike?.height ?? 0);
    case 'ramp':
      return Math.max(phase.ramp?.from ?? 0, phase.ramp?.to ?? 0);
  }
}

/** Tasks of a phase under the original's controlled process: floor(base × multiplier × duration / 60). */
export function targetTasks(phase: Phase, baseRatePerMinute: number): number {
  return Math.floor((baseRatePerMinute * phase.multiplier * phase.duration) / 60 + 1e-9);
}
