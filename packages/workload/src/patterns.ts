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
    case 'trace': {
      const t = traceShape(phase);
      if (!t) return phase.multiplier;
      const k = Math.floor((p * phase.duration) / t.interval) % t.counts.length;
      return phase.multiplier * ((t.counts[k] as number) / t.mean);
    }
  }
}

interface TraceShape {
  counts: readonly number[];
  interval: number;
  /** Time-weighted mean count over the phase (the trace repeats if the phase is longer). */
  mean: number;
}

const shapes = new WeakMap<object, TraceShape | null>();

/**
 * A trace phase's counts normalised so the phase's mean multiplier is `multiplier`. Worked
 * example: counts [10, 30] per 60 s over a 120 s phase, multiplier 1 -> mean 20, multipliers
 * 0.5 then 1.5.
 */
function traceShape(phase: Phase): TraceShape | null {
  const trace = phase.trace;
  if (!trace?.counts || trace.counts.length === 0) return null;
  let shape = shapes.get(trace);
  if (shape === undefined) {
    const { counts, interval } = trace;
    let area = 0;
    for (let start = 0, k = 0; start < phase.duration; start += interval, k++) {
      area += (counts[k % counts.length] as number) * Math.min(interval, phase.duration - start);
    }
    const mean = area / phase.duration;
    shape = mean > 0 ? { counts, interval, mean } : null;
    shapes.set(trace, shape);
  }
  return shape;
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
    case 'trace': {
      const t = traceShape(phase);
      return t ? (phase.multiplier * Math.max(...t.counts)) / t.mean : phase.multiplier;
    }
  }
}

/** Tasks of a phase under the original's controlled process: floor(base × multiplier × duration / 60). */
export function targetTasks(phase: Phase, baseRatePerMinute: number): number {
  return Math.floor((baseRatePerMinute * phase.multiplier * phase.duration) / 60 + 1e-9);
}
