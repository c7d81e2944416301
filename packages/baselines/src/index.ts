/**
 * The baseline policies and their registry. Every baseline implements core's Policy and takes
 * its parameters from `config.baselines` (and, where the real system has one, its default).
 */
import { UsageError, type Config, type Observation, type Policy, type PolicyContext } from '@autofarm/core';
import { createHpa } from './hpa.js';
import { createKeda } from './keda.js';
import { createKpa } from './kpa.js';
import { createOpenFaas } from './openfaas.js';
import { createOracle } from './oracle.js';
import { createHindsight } from './hindsight.js';
import { createQueueing } from './queueing.js';
import { createPredictive } from './predictive.js';
import { createReactiveAverage } from './reactive-average.js';
import { createReactiveMaximum } from './reactive-maximum.js';
import { loadReplayFile, ReplayPolicy, type ReplaySelection } from './replay.js';
import { createStatic } from './static.js';
import { createReserve } from './reserve.js';
import { checkKnobs, parseSweepName, tunableRule, tunedStem, tunedValues } from './tuning.js';

export { component, clampWorkers, stepToward } from './common.js';
export { ReactiveAverage } from './reactive-average.js';
export { ReactiveMaximum } from './reactive-maximum.js';
export { reactiveDecision, type ReactiveDecision, type ReactiveParameters } from './reactive-rule.js';
export { StaticPolicy } from './static.js';
export { HpaBehaviour, averageValueReplicas, type HpaBehaviourOptions } from './hpa-behaviour.js';
export { scaleDownLimit, scaleUpLimit, type ScaleEvent } from './hpa-scaling-rules.js';
export { HpaPolicy, HpaLoopPolicy, hpaLoopOptions, type HpaOptions } from './hpa.js';
export { KedaPolicy, type KedaOptions } from './keda.js';
export { KpaPolicy, type KpaOptions } from './kpa.js';
export { OpenFaasPolicy, type OpenFaasOptions } from './openfaas.js';
export { Holt } from '@autofarm/core';
export { QueueingPolicy, type QueueingOptions } from './queueing.js';
export { ReservePolicy, type ReserveOptions } from './reserve.js';
export * from './tuning.js';
export { PredictivePolicy, type PredictiveOptions } from './predictive.js';
export { OraclePolicy, peakRate, type OracleOptions } from './oracle.js';
export { HindsightPolicy, type HindsightOptions } from './hindsight.js';
export { ReplayPolicy, loadReplayFile, type ReplaySelection, type ReplaySource } from './replay.js';
export { serviceProfile, hopLatency } from './service-profile.js';
export * from './queueing-math.js';
export {
  createHindsight,
  createHpa,
  createKeda,
  createKpa,
  createOpenFaas,
  createOracle,
  createQueueing,
  createPredictive,
  createReactiveAverage,
  createReactiveMaximum,
  createReserve,
  createStatic,
};

export const BASELINE_NAMES = [
  'reactiveaverage',
  'reactivemaximum',
  'static',
  'hpa',
  'keda',
  'kpa',
  'openfaas',
  'queueing',
  'reserve',
  'predictive',
  'oracle',
  'hindsight',
  'replay',
] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** What a benchmark runs by default: every baseline but `replay`, which needs a recording. */
export const BENCHMARK_BASELINES: readonly BaselineName[] = BASELINE_NAMES.filter((name) => name !== 'replay');

/** One line per baseline, for --help and the docs. */
export const BASELINE_DESCRIPTIONS: Record<BaselineName, string> = {
  reactiveaverage: "the original's analytical rule with the window's average latency as service time",
  reactivemaximum: "the original's analytical rule with the window's maximum latency as service time",
  static: 'a fixed worker count (baselines.static_workers, default scaling.initial_workers)',
  hpa:
    'Kubernetes HPA on in-flight tasks per worker: 15 s sync, 10 % tolerance, 5 min scale-down ' +
    'stabilization, up at most max(+100 %, +4) per 15 s',
  keda: 'KEDA Redis-list scaler: ceil(LLEN(worker_queue) / list_length) through the same HPA',
  kpa: 'Knative KPA: 2 s tick, stable (60 s) and panic (6 s) windows on in-flight tasks per worker, at most halving per tick',
  openfaas: 'OpenFaaS Pro queue-based mode: ceil((queued + in flight) / target) workers at once, every 5 s',
  reserve:
    "the general agents' action held fixed: M/G/c sizing for the measured rate plus a share " +
    'baselines.reserve.reserve of the range above it, every 2 s',
  queueing: 'M/G/c sizing for the deadline QoS target on a Holt forecast of the observed arrival rate plus the backlog',
  predictive:
    'max(forecast upper quantile, observed rate) from the enqueued counter alone (period, seasonal naive, Holt), M/G/c ' +
    'sizing launched a cold start ahead, scale-in on observed decreases only',
  oracle: 'clairvoyant yardstick, NOT deployable: reads the nominal future arrival rate and pre-scales with the M/G/c sizing',
  hindsight:
    'the regret yardstick, NOT deployable (sim only): plans each step on copies of the ' +
    'simulator running the realized future arrivals and task times',
  replay: 'replays a recorded action list (--replay-file)',
};

/** Accepted spellings (case, spaces, '-' and '_' ignored), as the original's compare_policies. */
const ALIASES: Record<string, BaselineName> = {
  reactiveavg: 'reactiveaverage',
  reactiveaveragepolicy: 'reactiveaverage',
  reactivemax: 'reactivemaximum',
  reactivemaximumpolicy: 'reactivemaximum',
  fixed: 'static',
  knative: 'kpa',
};

/** `<rule>-tuned` for a rule with knobs (kpa-tuned, KPA_tuned): the rule's canonical name, else null. */
export function tunedBaselineName(name: string): BaselineName | null {
  const stem = tunedStem(name);
  const rule = stem === null ? null : baselineName(stem);
  return rule !== null && tunableRule(rule) !== null ? rule : null;
}

/** The rule of a sweep agent name (`kpa@target_utilization=0.1,panic_threshold=2`), else null. */
export function sweepBaselineName(name: string): BaselineName | null {
  const at = name.indexOf('@');
  const rule = at < 0 ? null : baselineName(name.slice(0, at));
  return rule !== null && tunableRule(rule) !== null ? rule : null;
}

/** A rule run with other knob values: the rule's own decisions under another name (`KPA-tuned`, `KPA@...`). */
class RenamedPolicy implements Policy {
  readonly cadence?: number;

  constructor(
    private readonly inner: Policy,
    readonly name: string,
  ) {
    if (inner.cadence !== undefined) this.cadence = inner.cadence;
  }

  reset(): void {
    this.inner.reset();
  }

  act(observation: Observation, ctx: PolicyContext): number {
    return this.inner.act(observation, ctx);
  }
}

/** The canonical baseline name for `name`, or null if it is not a baseline. */
export function baselineName(name: string): BaselineName | null {
  const key = name.toLowerCase().replace(/[\s_-]/g, '');
  if ((BASELINE_NAMES as readonly string[]).includes(key)) return key as BaselineName;
  return ALIASES[key] ?? null;
}

export interface CreateBaselineOptions {
  /** Actions for `replay` (wins over replayFile). */
  replayActions?: readonly number[];
  /** File for `replay`: a JSON list of actions or an aggregated_results.json. */
  replayFile?: string;
  /** Which recorded episode of an aggregated_results.json to replay. */
  replaySelection?: ReplaySelection;
}

/** A fresh baseline policy. Throws UsageError listing the valid names for an unknown name. */
export function createBaseline(name: string, config: Config, options: CreateBaselineOptions = {}): Policy {
  const tuned = tunedBaselineName(name);
  if (tuned !== null) {
    const rule = tunableRule(tuned);
    if (rule) {
      const inner = createBaseline(tuned, rule.apply(config, tunedValues(config, rule)));
      return new RenamedPolicy(inner, `${inner.name}-tuned`);
    }
  }
  const swept = sweepBaselineName(name);
  const sweep = swept === null ? null : parseSweepName(name);
  const sweptRule = swept === null ? null : tunableRule(swept);
  if (sweep && sweptRule) {
    const values = checkKnobs(sweptRule, sweep.values, name);
    const inner = createBaseline(sweptRule.rule, sweptRule.apply(config, values));
    return new RenamedPolicy(inner, `${inner.name}@${name.slice(name.indexOf('@') + 1)}`);
  }
  const canonical = baselineName(name);
  switch (canonical) {
    case 'reactiveaverage':
      return createReactiveAverage(config);
    case 'reactivemaximum':
      return createReactiveMaximum(config);
    case 'static':
      return createStatic(config);
    case 'hpa':
      return createHpa(config);
    case 'keda':
      return createKeda(config);
    case 'kpa':
      return createKpa(config);
    case 'openfaas':
      return createOpenFaas(config);
    case 'queueing':
      return createQueueing(config);
    case 'reserve':
      return createReserve(config);
    case 'predictive':
      return createPredictive(config);
    case 'oracle':
      return createOracle(config);
    case 'hindsight':
      return createHindsight(config);
    case 'replay': {
      if (options.replayActions) return new ReplayPolicy(options.replayActions);
      if (options.replayFile) return new ReplayPolicy(loadReplayFile(options.replayFile, options.replaySelection).actions);
      throw new UsageError('the replay baseline needs a recorded action list: pass --replay-file FILE');
    }
    case null:
      throw new UsageError(
        `unknown baseline "${name}"; valid names: ${BASELINE_NAMES.join(', ')} (aliases: reactiveavg, reactivemax; ` +
          `<rule>-tuned for a rule with knobs)`,
      );
  }
}
