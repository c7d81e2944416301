/**
 * The original's "analytical FARM model" decision rule, shared by ReactiveAverage and
 * ReactiveMaximum (reference §8, autoscaling_env/baselines/reactive_policies.py). A farm of n
 * workers serving tasks of mean time s sustains n / s tasks/s, so it needs n ≈ λ·s workers plus
 * enough to drain the backlog within the horizon. Kept exactly, including its weaknesses: s is
 * the END-TO-END latency of the window, which inflates under backlog.
 */
import type { Observation, Policy, PolicyContext } from '@autofarm/core';
import { component } from './common.js';

export interface ReactiveParameters {
  /** Seconds in which the backlog should be drained (stored as max(h, 0.1)). */
  horizon: number;
  /** Multiplies the optimal count (stored as max(f, 1)). */
  safetyFactor: number;
  /** Weight of the workers already busy (ReactiveAverage: max(f, 0); ReactiveMaximum: max(f, 1)). */
  adjustmentFactor: number;
}

/** What the rule computed, for tests and logs. */
export interface ReactiveDecision {
  serviceTime: number;
  nOpt: number;
  busy: number;
  /** n_opt − (W − busy): positive means too few workers. */
  gap: number;
  /** -1, 0 or +1: the original only ever moves one worker. */
  delta: number;
}

/**
 * Worked example (the original's first step: λ = 0, Q = 0, E = 0, W = 12, s = 1.5):
 * n_opt = max(1, 0) = 1, busy = 0, gap = 1 − 12 = −11 -> −1.
 */
export function reactiveDecision(
  observation: Observation,
  enqueuedTotal: number,
  serviceTime: number,
  p: ReactiveParameters,
): ReactiveDecision {
  const q = component(observation, 'worker_q');
  const resultQ = component(observation, 'result_q');
  const outputQ = component(observation, 'output_q');
  const w = component(observation, 'workers');
  const lambda = component(observation, 'arrival_rate');
  const s = serviceTime;
  const h = Math.max(p.horizon, s, 1.0);
  const nArr = Math.max(0, lambda) * s;
  const nQueue = (q / h) * s;
  const nOpt = Math.max(1, (nQueue + nArr) * p.safetyFactor);
  // Tasks in the workers' hands (plus at most one at the collector, hence the adjustment of 1).
  const active = Math.max(0, Math.max(0, enqueuedTotal) - q - resultQ - outputQ);
  const adj1 = active > 0 ? 1 : 0;
  const aw = Math.min(w, Math.max(0, active - adj1));
  const busy = (aw / h) * s * p.adjustmentFactor;
  const gap = nOpt - (w - busy);
  const delta = gap >= 0.5 ? 1 : gap <= -0.5 ? -1 : 0;
  return { serviceTime: s, nOpt, busy, gap, delta };
}

/**
 * The two reactive baselines differ only in the service time they feed the rule and the weight
 * of busy workers: `average` takes the window's mean latency and adjustment max(f, 0) (default
 * 0.5), `maximum` the larger of max and mean latency and adjustment max(f, 1) (default 1).
 */
export abstract class ReactiveRulePolicy implements Policy {
  abstract readonly name: string;
  readonly parameters: ReactiveParameters;

  constructor(
    private readonly latency: 'average' | 'maximum',
    options: { horizon?: number; safetyFactor?: number; adjustmentFactor?: number } = {},
  ) {
    const floor = latency === 'average' ? 0 : 1;
    this.parameters = {
      horizon: Math.max(options.horizon ?? 8, 0.1),
      safetyFactor: Math.max(options.safetyFactor ?? 1, 1),
      adjustmentFactor: Math.max(options.adjustmentFactor ?? (latency === 'average' ? 0.5 : 1), floor),
    };
  }

  reset(): void {
    // Stateless: the enqueued total comes with every decision in ctx.signals.
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const avg = component(observation, 'avg_time');
    const s = Math.max(this.latency === 'average' ? avg : Math.max(component(observation, 'max_time'), avg), 0.1);
    return reactiveDecision(observation, ctx.signals.enqueuedTotal, s, this.parameters).delta;
  }
}
