/**
 * ReactiveMaximum (reference §8): the analytical FARM rule with the window's MAXIMUM latency as
 * the service time and full weight on busy workers (adjustment clamped to at least 1).
 */
import type { Config } from '@autofarm/core';
import { ReactiveRulePolicy } from './reactive-rule.js';

/** The maximum-latency variant; see ReactiveRulePolicy. */
export class ReactiveMaximum extends ReactiveRulePolicy {
  readonly name = 'ReactiveMaximum';

  constructor(options: ConstructorParameters<typeof ReactiveRulePolicy>[1] = {}) {
    super('maximum', options);
  }
}

export const createReactiveMaximum = (config: Config): ReactiveMaximum => new ReactiveMaximum({ horizon: config.baselines.horizon });
