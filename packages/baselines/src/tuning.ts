/**
 * The tuning registry: every rule with a knob, the knob(s) `autofarm tune` sweeps and the
 * configuration fields they set. The same budget for every rule (issue 20, RLScale-Bench's
 * matched budgets): exactly TUNE_SETTINGS settings each, so a two-knob rule (KPA) sweeps a
 * coarser grid per knob instead of a larger one. `<rule>-tuned` runs the rule with the values in
 * the configuration's `tuned.<rule>` block.
 * Grids span each knob from lean to safe around its platform default, e.g. the HPA's in-flight
 * target 0.7: 0.1 asks for 7x the workers. Two earlier sweeps (docs/tuning.md) chose the safe
 * end of the HPA, KPA, OpenFaaS and queueing grids, so those grids were widened toward it;
 * KEDA's choice stays at listLength 1, the smallest a ScaledObject takes.
 */
import { ConfigError, UsageError, type Config } from '@autofarm/core';

/** Settings per rule: the tuning budget is TUNE_SETTINGS x the validation episodes, for every rule alike. */
export const TUNE_SETTINGS = 12;

export interface Knob {
  /** Key in `tuned.<rule>`. */
  name: string;
  /** What it sets, for tables and docs. */
  field: string;
  /** The value the rule runs at without tuning (the platform default). */
  platformDefault: (config: Config) => number;
}

export interface TunableRule {
  rule: string;
  knobs: readonly Knob[];
  /** Exactly TUNE_SETTINGS settings, each a value per knob. */
  settings: ReadonlyArray<Readonly<Record<string, number>>>;
  /** `config` with the rule's knobs set to `values` (all knobs present). */
  apply(config: Config, values: Readonly<Record<string, number>>): Config;
}

const one = (knob: string, grid: readonly number[]) => grid.map((v) => ({ [knob]: v }));
const grid2 = (a: string, as: readonly number[], b: string, bs: readonly number[]) =>
  as.flatMap((x) => bs.map((y) => ({ [a]: x, [b]: y })));
const num = (values: Readonly<Record<string, number>>, k: string) => values[k] as number;
const withBaselines = (config: Config, patch: Partial<Config['baselines']>): Config => ({
  ...config,
  baselines: { ...config.baselines, ...patch },
});

export const TUNABLE_RULES: readonly TunableRule[] = [
  {
    rule: 'hpa',
    knobs: [
      { name: 'target_per_worker', field: 'baselines.hpa.target_per_worker', platformDefault: (c) => c.baselines.hpa.target_per_worker },
    ],
    settings: one('target_per_worker', [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1, 1.5]),
    apply: (c, v) => withBaselines(c, { hpa: { ...c.baselines.hpa, target_per_worker: num(v, 'target_per_worker') } }),
  },
  {
    rule: 'keda',
    // listLength is an integer in a ScaledObject
    knobs: [{ name: 'list_length', field: 'baselines.keda.list_length', platformDefault: (c) => c.baselines.keda.list_length }],
    settings: one('list_length', [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20]),
    apply: (c, v) => withBaselines(c, { keda: { ...c.baselines.keda, list_length: num(v, 'list_length') } }),
  },
  {
    rule: 'kpa',
    knobs: [
      { name: 'target_utilization', field: 'baselines.kpa.target_utilization', platformDefault: (c) => c.baselines.kpa.target_utilization },
      { name: 'panic_threshold', field: 'baselines.kpa.panic_threshold', platformDefault: (c) => c.baselines.kpa.panic_threshold },
    ],
    settings: grid2('target_utilization', [0.05, 0.1, 0.2, 0.7], 'panic_threshold', [1.5, 2, 3]),
    apply: (c, v) =>
      withBaselines(c, {
        kpa: { ...c.baselines.kpa, target_utilization: num(v, 'target_utilization'), panic_threshold: num(v, 'panic_threshold') },
      }),
  },
  {
    rule: 'openfaas',
    // below 1 it is target 1 with com.openfaas.scale.target-proportion < 1 on a real gateway
    knobs: [{ name: 'target', field: 'baselines.openfaas.target', platformDefault: (c) => c.baselines.openfaas.target }],
    settings: one('target', [0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5]),
    apply: (c, v) => withBaselines(c, { openfaas: { ...c.baselines.openfaas, target: num(v, 'target') } }),
  },
  {
    rule: 'queueing',
    knobs: [{ name: 'target_qos', field: 'baselines.queueing.target_qos', platformDefault: (c) => c.baselines.queueing.target_qos }],
    // 1 - 10^-k: the M/G/c tail falls geometrically in c, so each step adds a few workers
    settings: one('target_qos', [
      0.99,
      0.995,
      0.999,
      0.9995,
      0.9999,
      1 - 1e-5,
      1 - 1e-6,
      1 - 1e-7,
      1 - 1e-8,
      1 - 1e-9,
      1 - 1e-10,
      1 - 1e-11,
    ]),
    apply: (c, v) => withBaselines(c, { queueing: { ...c.baselines.queueing, target_qos: num(v, 'target_qos') } }),
  },
  {
    rule: 'static',
    // a share of max_workers, so one value fits every farm size; its default is initial_workers
    knobs: [
      {
        name: 'share',
        field: 'baselines.static_workers = round(share x scaling.max_workers)',
        platformDefault: (c) => (c.baselines.static_workers ?? c.scaling.initial_workers) / c.scaling.max_workers,
      },
    ],
    settings: one('share', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1]),
    apply: (c, v) =>
      withBaselines(c, {
        static_workers: Math.min(c.scaling.max_workers, Math.max(1, Math.round(num(v, 'share') * c.scaling.max_workers))),
      }),
  },
  {
    rule: 'reserve',
    knobs: [{ name: 'reserve', field: 'baselines.reserve.reserve', platformDefault: (c) => c.baselines.reserve.reserve }],
    settings: one('reserve', [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]),
    apply: (c, v) => withBaselines(c, { reserve: { ...c.baselines.reserve, reserve: num(v, 'reserve') } }),
  },
  {
    rule: 'predictive',
    // the price of uncertainty (the forecaster's error quantile) against the sizing's own QoS target
    knobs: [
      { name: 'quantile', field: 'baselines.predictive.quantile', platformDefault: (c) => c.baselines.predictive.quantile },
      { name: 'target_qos', field: 'baselines.predictive.target_qos', platformDefault: (c) => c.baselines.predictive.target_qos },
    ],
    // QoS targets as the queueing rule's grid, where the sweep chose its safe end
    settings: grid2('quantile', [0.7, 0.9, 0.99], 'target_qos', [0.99, 0.99999, 1 - 1e-7, 1 - 1e-9]),
    apply: (c, v) =>
      withBaselines(c, {
        predictive: { ...c.baselines.predictive, quantile: num(v, 'quantile'), target_qos: num(v, 'target_qos') },
      }),
  },
];

/** The registry entry of `rule` (a canonical baseline name), or null if it has no knob to tune. */
export function tunableRule(rule: string): TunableRule | null {
  return TUNABLE_RULES.find((t) => t.rule === rule) ?? null;
}

/** `kpa-tuned`, `KPA_tuned`, `kpa tuned` -> 'kpa' stem; null if the name does not end in "tuned". */
export function tunedStem(name: string): string | null {
  const m = /^(.+?)[\s_-]*tuned$/i.exec(name.trim());
  return m ? (m[1] as string) : null;
}

/** The knob values of `tuned.<rule>`, checked against the registry: ConfigError naming the field. */
export function tunedValues(config: Config, rule: TunableRule): Record<string, number> {
  const values = config.tuned[rule.rule];
  if (!values)
    throw new UsageError(
      `${rule.rule}-tuned: the configuration has no tuned.${rule.rule} block; ` +
        `run \`autofarm tune --agent ${rule.rule}\` and add its choice`,
    );
  const names = rule.knobs.map((k) => k.name);
  const issues = [
    ...Object.keys(values)
      .filter((k) => !names.includes(k))
      .map((k) => ({ path: `tuned.${rule.rule}.${k}`, message: `unknown knob; expected ${names.join(', ')}` })),
    ...names
      .filter((k) => values[k] === undefined)
      .map((k) => ({ path: `tuned.${rule.rule}.${k}`, message: 'missing; expected a number' })),
  ];
  if (issues.length > 0) throw new ConfigError('the configuration', issues);
  return values;
}

/** `<rule>-tuned` for every registry rule the configuration holds tuned values for, in registry order. */
export function tunedAgentNames(config: Config): string[] {
  return TUNABLE_RULES.filter((t) => config.tuned[t.rule] !== undefined).map((t) => `${t.rule}-tuned`);
}

/** `kpa@panic_threshold=2,target_utilization=0.1`: one setting of a rule as an agent name (benchmark --sweep). */
export function sweepAgentName(rule: string, values: Readonly<Record<string, number>>): string {
  return `${rule}@${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** The rule stem and knob values of a sweep agent name; null if `name` has no `@`. Throws UsageError on a malformed value. */
export function parseSweepName(name: string): { stem: string; values: Record<string, number> } | null {
  const at = name.indexOf('@');
  if (at < 0) return null;
  const values: Record<string, number> = {};
  for (const pair of name.slice(at + 1).split(',')) {
    const [k, v] = pair.split('=');
    const x = Number(v);
    if (!k || v === undefined || v.trim() === '' || !Number.isFinite(x))
      throw new UsageError(`--agents: expected ${name.slice(0, at)}@knob=number[,knob=number], found "${name}"`);
    values[k.trim()] = x;
  }
  return { stem: name.slice(0, at), values };
}

/** `values` checked against the rule's knobs: every knob present, no other (ConfigError naming `where`). */
export function checkKnobs(rule: TunableRule, values: Readonly<Record<string, number>>, where: string): Record<string, number> {
  const names = rule.knobs.map((k) => k.name);
  const issues = [
    ...Object.keys(values)
      .filter((k) => !names.includes(k))
      .map((k) => ({ path: `${where}.${k}`, message: `unknown knob; expected ${names.join(', ')}` })),
    ...names.filter((k) => values[k] === undefined).map((k) => ({ path: `${where}.${k}`, message: 'missing; expected a number' })),
  ];
  if (issues.length > 0) throw new ConfigError('the configuration', issues);
  return { ...values };
}
