/**
 * The comparison output contract (issue 3): `aggregated_results.json`, read back by
 * `--plot-only`, `--baseline-cache` and the replay baseline, and `comparison.md`, the table a
 * person reads.
 *
 * aggregated_results.json = { "agents": { "<name>": { "records": EpisodeRecord[],
 *   "summary": summarize(records) } }, "meta": {...} }. Fractions for QoS, seconds for times,
 * population std (divide by n) in every summary. NaN is written as JSON null and read back as NaN.
 */
import { summarize, type EpisodeRecord, type EpisodeSummary, type MeanStd, type SummaryStats } from '@autofarm/env';
import { z } from '@autofarm/core';
import type { RunDir } from './run-dir.js';
import { num, parseWith, readJsonFile, resolveRunFile } from './validate.js';

export const AGGREGATED_RESULTS_FILE = 'aggregated_results.json';
export const COMPARISON_TABLE_FILE = 'comparison.md';

export interface AgentResults {
  records: EpisodeRecord[];
  summary: SummaryStats;
}

export interface AggregatedResults {
  /** In the order the agents were given; plots and tables keep it. */
  agents: Record<string, AgentResults>;
  /** Free-form: seeds, episodes, backend, workload, ... */
  meta: Record<string, unknown>;
}

export function aggregate(agents: Record<string, readonly EpisodeRecord[]>, meta: Record<string, unknown> = {}): AggregatedResults {
  const out: Record<string, AgentResults> = {};
  for (const [name, records] of Object.entries(agents)) out[name] = { records: [...records], summary: summarize(records) };
  return { agents: out, meta };
}

/** Writes aggregated_results.json and comparison.md into `dir`; returns what was written. */
export function writeComparison(
  dir: RunDir,
  agents: Record<string, readonly EpisodeRecord[]>,
  meta: Record<string, unknown> = {},
): AggregatedResults {
  const results = aggregate(agents, meta);
  dir.writeJson(AGGREGATED_RESULTS_FILE, results);
  dir.writeText(COMPARISON_TABLE_FILE, comparisonMarkdown(results));
  return results;
}

interface Column {
  title: string;
  key: keyof EpisodeSummary;
  /** Multiplies mean and std, e.g. 100 for a fraction shown in %. */
  scale: number;
}

/** The seed README's columns plus worker-seconds and p95 latency. */
const COLUMNS: readonly Column[] = [
  { title: 'QoS rate [%]', key: 'qos_rate', scale: 100 },
  { title: 'Mean workers', key: 'mean_workers', scale: 1 },
  { title: 'Max workers', key: 'max_workers', scale: 1 },
  { title: 'Worker-seconds', key: 'worker_seconds', scale: 1 },
  { title: 'Decisions', key: 'decisions', scale: 1 },
  { title: 'Scaling actions', key: 'scaling_actions', scale: 1 },
  { title: 'p95 latency [s]', key: 'p95_latency', scale: 1 },
];

function cell(stat: MeanStd | undefined, scale: number): string {
  if (!stat) return 'n/a';
  return `${(stat.mean * scale).toFixed(2)} ± ${(stat.std * scale).toFixed(2)}`;
}

/** A markdown table, one row per agent, "mean ± std" cells, and a note on what std means. */
export function comparisonMarkdown(results: AggregatedResults): string {
  const names = Object.keys(results.agents);
  const episodes = [...new Set(names.map((n) => results.agents[n]?.records.length ?? 0))];
  const header = `| Policy | ${COLUMNS.map((c) => c.title).join(' | ')} |`;
  const rule = `|---|${COLUMNS.map(() => '---:').join('|')}|`;
  const rows = names.map((name) => {
    const summary = results.agents[name]?.summary;
    return `| ${name} | ${COLUMNS.map((c) => cell(summary?.[c.key], c.scale)).join(' | ')} |`;
  });
  const count = episodes.length === 1 ? `${episodes[0]} episodes` : `${episodes.join('/')} episodes`;
  // The scenario a run used, on the first line (issue 22 item 7); runs before it recorded none.
  const scenario = results.meta.scenario;
  return [
    typeof scenario === 'string' ? `# Policy comparison: scenario ${scenario}` : '# Policy comparison',
    '',
    ...(scenario === null ? ['Scenario: none (the configuration as is).', ''] : []),
    ...(results.meta.interrupted === true ? ['Interrupted (Ctrl-C): only the policies that finished every episode are listed.', ''] : []),
    header,
    rule,
    ...rows,
    '',
    `Mean ± population standard deviation (divide by n) over ${count} per policy.`,
    'QoS rate = tasks that met their deadline / tasks generated (unfinished tasks count as misses).',
    "Mean workers = the worker count averaged over the episode's time; worker-seconds " +
      '= the integral of the live workers (starting, busy or idle) over the episode.',
    'Decisions = times the policy decided (at its own cadence under native actuation); ' +
      'scaling actions = decisions that asked for a change.',
    ...(typeof results.meta.actuation === 'string' ? [`Actuation: ${results.meta.actuation}.`] : []),
    '',
  ].join('\n');
}

const nums = z.array(num);

const summarySchema = z.looseObject({
  steps: num,
  qos_rate: num,
  mean_qos: num,
  mean_workers: num,
  max_workers: num,
  worker_seconds: num,
  /** Absent in files written before decisions were counted: one per step then. */
  decisions: num.optional(),
  scaling_actions: num,
  noop_actions: num,
  total_reward: num,
  mean_reward: num,
  p50_latency: num,
  p95_latency: num,
  tasks_generated: num,
  tasks_completed: num,
  tasks_met: num,
  tasks_unfinished: num,
  terminated: z.boolean(),
  truncated: z.boolean(),
});

const recordSchema = z.looseObject({
  seed: z.number(),
  steps: z.number(),
  actions: nums,
  applied_actions: nums,
  worker_counts: nums,
  qos_rates: nums,
  rewards: nums,
  queue_lengths: nums,
  avg_times: nums,
  max_times: nums,
  arrival_rates: nums,
  times: nums,
  summary: summarySchema.transform((s) => ({ ...s, decisions: s.decisions ?? s.scaling_actions + s.noop_actions })),
}) satisfies z.ZodType<EpisodeRecord, unknown>;

const statSchema = z.object({ mean: num, std: num });

const agentSchema = z.object({
  records: z.array(recordSchema),
  summary: z.record(z.string(), statSchema),
});

const fileSchema = z.object({
  agents: z.record(z.string(), agentSchema),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Reads aggregated_results.json from a run directory or the file itself. A bare
 * `{ "<name>": {records, summary} }` mapping (the original's other layout) is accepted too.
 * Throws ModelFileError when it is missing, unreadable or malformed.
 */
export function readAggregatedResults(dirOrFile: string): AggregatedResults {
  const file = resolveRunFile(dirOrFile, AGGREGATED_RESULTS_FILE, 'comparison results');
  const raw = readJsonFile(file);
  const wrapped = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !('agents' in raw) ? { agents: raw } : raw;
  const parsed = parseWith(fileSchema, wrapped, file, 'aggregated_results.json');
  const agents: Record<string, AgentResults> = {};
  for (const [name, entry] of Object.entries(parsed.agents)) {
    agents[name] = { records: entry.records, summary: entry.summary as SummaryStats };
  }
  return { agents, meta: parsed.meta ?? {} };
}
