/**
 * ReactiveAverage (reference §8): the analytical FARM rule with the window's AVERAGE latency as
 * the service time and half weight on busy workers (adjustment 0.5).
 */
import type { Config } from '@autofarm/core';
import { ReactiveRulePolicy } from './reactive-rule.js';

/** The average-latency variant; see ReactiveRulePolicy. */
export class ReactiveAverage extends ReactiveRulePolicy {
  readonly name = 'ReactiveAverage';

  constructor(options: ConstructorParameters<typeof ReactiveRulePolicy>[1] = {}) {
    super('average', options);
  }
}

export const createReactiveAverage = (config: Config): ReactiveAverage => new ReactiveAverage({ horizon: config.baselines.horizon });
