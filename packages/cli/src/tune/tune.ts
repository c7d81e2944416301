/**
 * `autofarm tune` as a library function: a rule's knob settings (the tuning registry, the same
 * TUNE_SETTINGS for every rule) on the general domain's validation workloads (validationSeeds:
 * never a benchmark scenario or its held-out seeds), priced as the general agents are trained:
 * cost = worker-seconds + general.miss_price x missed deadlines per episode. The choice is the
 * setting with the lowest mean cost (the first in grid order on a tie). Jobs (rule x setting)
 * run on the benchmark's worker pool; the tables depend only on (config, rules, episodes), never
 * on --jobs. Writes tune.json and tune.md into one run directory.
 */
import { availableParallelism } from 'node:os';
import { loadConfig, mean, std, UsageError, type Config } from '@autofarm/core';
import { baselineName, TUNABLE_RULES, TUNE_SETTINGS, tunableRule, type TunableRule } from '@autofarm/baselines';
import { validationSeeds } from '@autofarm/env';
import { createProgress, createRunDir, writeRunMetadata } from '@autofarm/runs';
import { runPool } from '../benchmark/pool.js';
import type { TuneEpisode, TuneJob } from './jobs.js';

export interface TuneOptions {
  config: string;
  /** Rule names (`all` = every rule in the registry). */
  agents: readonly string[];
  /** Validation episodes per setting. */
  episodes: number;
  jobs?: number;
  out?: string;
  log?: (line: string) => void;
  progress?: 'auto' | 'quiet';
}

export interface TuneRow {
  values: Record<string, number>;
  /** The rule's platform default (every knob at it). */
  platform_default: boolean;
  qos: number;
  worker_seconds: number;
  misses: number;
  cost: number;
  cost_std: number;
}

export interface RuleTuning {
  rule: string;
  knobs: Array<{ name: string; field: string }>;
  rows: TuneRow[];
  choice: Record<string, number>;
}

export interface TuneResult {
  dir: string;
  rules: RuleTuning[];
  budget: { settings: number; episodes: number };
  seconds: number;
}

/** The registry entries for the names given (`all` expands); UsageError for a rule without knobs. */
export function tuneRules(names: readonly string[]): TunableRule[] {
  if (names.some((n) => n.toLowerCase() === 'all')) return [...TUNABLE_RULES];
  return names.map((n) => {
    const canonical = baselineName(n);
    const rule = canonical === null ? null : tunableRule(canonical);
    if (!rule)
      throw new UsageError(`--agent: expected a rule with knobs (${TUNABLE_RULES.map((t) => t.rule).join(', ')}, or all), found "${n}"`);
    return rule;
  });
}

const isDefault = (rule: TunableRule, config: Config, values: Record<string, number>) =>
  rule.knobs.every((k) => Math.abs(k.platformDefault(config) - (values[k.name] as number)) < 1e-12);

function rowOf(rule: TunableRule, config: Config, values: Record<string, number>, episodes: readonly TuneEpisode[]): TuneRow {
  const costs = episodes.map((e) => e.cost);
  return {
    values,
    platform_default: isDefault(rule, config, values),
    qos: mean(episodes.map((e) => e.qos_rate)),
    worker_seconds: mean(episodes.map((e) => e.worker_seconds)),
    misses: mean(episodes.map((e) => e.misses)),
    cost: mean(costs),
    cost_std: std(costs),
  };
}

/** The lowest mean cost; on a tie the first setting in grid order. */
export function chooseRow(rows: readonly TuneRow[]): TuneRow {
  let best = rows[0] as TuneRow;
  for (const r of rows) if (r.cost < best.cost) best = r;
  return best;
}

const show = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** One markdown section per rule: the table, the choice and the YAML to put in `tuned:`. */
export function tuneMarkdown(result: Pick<TuneResult, 'rules' | 'budget'>, missPrice: number): string {
  const { settings, episodes } = result.budget;
  const lines = [
    '# Tuning',
    '',
    `Budget per rule: ${settings} settings x ${episodes} validation episodes (general domain, validation seeds) = ` +
      `${settings * episodes} episodes. Cost per episode = worker-seconds + ${missPrice} x missed deadlines (the general ` +
      "agents' price); the choice has the lowest mean cost. * = platform default.",
    '',
  ];
  for (const r of result.rules) {
    lines.push(`## ${r.rule}`, '', `Knobs: ${r.knobs.map((k) => `${k.name} (${k.field})`).join(', ')}.`, '');
    lines.push('| setting | QoS [%] | worker-seconds | misses | cost (mean ± std) |', '|---|---:|---:|---:|---:|');
    for (const row of r.rows) {
      const chosen = show(row.values) === show(r.choice) ? ' **chosen**' : '';
      lines.push(
        `| ${show(row.values)}${row.platform_default ? ' *' : ''}${chosen} | ${(row.qos * 100).toFixed(2)} | ` +
          `${row.worker_seconds.toFixed(0)} | ${row.misses.toFixed(1)} | ${row.cost.toFixed(0)} ± ${row.cost_std.toFixed(0)} |`,
      );
    }
    const yaml = Object.entries(r.choice)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    lines.push('', `Choice: ${show(r.choice)}. In configuration.yml: \`tuned: { ${r.rule}: { ${yaml} } }\``, '');
  }
  return `${lines.join('\n')}\n`;
}

export async function runTune(options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const config = loadConfig(options.config);
  const rules = tuneRules(options.agents);
  const seeds = validationSeeds(config.seed, options.episodes);
  const missPrice = config.general.miss_price;
  const jobs = options.jobs ?? availableParallelism();
  const list: TuneJob[] = [];
  for (const rule of rules)
    for (const values of rule.settings)
      list.push({ kind: 'tune', id: list.length, config: options.config, rule: rule.rule, values: { ...values }, seeds, missPrice });
  const dir = createRunDir({ prefix: 'tune', ...(options.out ? { out: options.out } : {}) });
  writeRunMetadata(dir, {
    command: 'tune',
    config,
    seed: config.seed,
    extra: { rules: rules.map((r) => r.rule), seeds, settings: TUNE_SETTINGS, miss_price: missPrice, jobs },
  });
  options.log?.(
    `tune: ${rules.map((r) => r.rule).join(', ')}: ${TUNE_SETTINGS} settings x ${seeds.length} validation episodes ` +
      `(seeds ${seeds[0]}..${seeds.at(-1)}) each, ${jobs} job(s)`,
  );
  const progress = createProgress({
    total: list.length * seeds.length,
    label: 'tune',
    ...(options.progress === 'quiet' ? { mode: 'quiet' as const } : {}),
  });
  let done = 0;
  const results = await runPool<TuneJob, TuneEpisode>(list, { jobs, cost: () => 1, onEpisode: () => progress.update(++done) });
  progress.stop();
  const tuned: RuleTuning[] = rules.map((rule) => {
    const rows = list.filter((j) => j.rule === rule.rule).map((j) => rowOf(rule, config, j.values, results.get(j.id) ?? []));
    return {
      rule: rule.rule,
      knobs: rule.knobs.map((k) => ({ name: k.name, field: k.field })),
      rows,
      choice: chooseRow(rows).values,
    };
  });
  const result: TuneResult = { dir: dir.path, rules: tuned, budget: { settings: TUNE_SETTINGS, episodes: seeds.length }, seconds: 0 };
  dir.writeJson('tune.json', { budget: result.budget, miss_price: missPrice, seeds, rules: tuned });
  dir.writeText('tune.md', tuneMarkdown(result, missPrice));
  result.seconds = (performance.now() - started) / 1000;
  options.log?.(`wrote ${dir.file('tune.md')} and tune.json in ${result.seconds.toFixed(1)} s`);
  dir.close();
  return result;
}
