/**
 * OpenFaaS: the OpenFaaS Pro autoscaler in its queue-based mode (anchors §A.4; docs.openfaas.com
 * "Auto-scaling your functions" and the 2025-07-29 "queue-based scaling" post), the autoscaler
 * of the platform the farm runs on. Its input is the work waiting for the function — queued plus
 * in flight — and it sets the replicas straight to
 *   desired = ceil(load / (target × target_proportion)),
 * clamped to the range, with no rate limit. E.g. 14 queued + 9 busy, target 1, proportion 1:
 * 23 workers at once.
 *
 * Numbers: target 1 because a worker runs one task at a time (a function's max_inflight of 1);
 * target_proportion 1.0 so the count matches the work exactly (the documented default 0.90 is for
 * the rps/capacity modes); the docs give no decision interval, 5 s is our choice (configurable).
 */
import type { Config, Observation, Policy, PolicyContext } from '@autofarm/core';
import { component, stepToward } from './common.js';

export interface OpenFaasOptions {
  target: number;
  targetProportion: number;
  /** Seconds between two decisions. */
  interval: number;
}

export class OpenFaasPolicy implements Policy {
  readonly name = 'OpenFaaS';
  readonly cadence: number;

  constructor(readonly options: OpenFaasOptions) {
    this.cadence = options.interval;
  }

  reset(): void {
    // Stateless: every decision reads the queue afresh.
  }

  act(observation: Observation, ctx: PolicyContext): number {
    const load = ctx.signals.queueLength + ctx.signals.busyWorkers;
    // 1e-9: 2.7 / 0.9 is 3.0000000000000004 in floating point and must stay 3.
    const desired = Math.ceil(load / (this.options.target * this.options.targetProportion) - 1e-9);
    return stepToward(component(observation, 'workers'), desired);
  }
}

export function createOpenFaas(config: Config): OpenFaasPolicy {
  const o = config.baselines.openfaas;
  return new OpenFaasPolicy({ target: o.target, targetProportion: o.target_proportion, interval: o.interval });
}
