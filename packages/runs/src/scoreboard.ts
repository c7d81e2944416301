/**
 * The benchmark's output contract: `scoreboard.json` (read back by `benchmark --plot-only`) and
 * `scoreboard.md`, the tables a person reads.
 *
 * scoreboard.json = { meta, scenarios: { <name>: { description, agents: { <agent>: { summary
 * (exactly aggregated_results.json's: mean ± population std of every EpisodeSummary field),
 * records, yardstick, ci, regret } } } }, ranking }. Regret is measured against the hindsight
 * yardstick on the SAME seeds: worker-seconds ratio = mean(agent) / mean(hindsight), QoS gap =
 * mean(hindsight − agent) in percentage points; both with 95 % paired-bootstrap CIs from a
 * stream of the benchmark seed named after scenario, agent and metric. Nothing in either file
 * depends on timing or on --jobs, so any number of jobs writes the same bytes.
 */
import { bootstrapCi, createRng, mean, z, type ConfidenceInterval, type Rng } from '@autofarm/core';
import { summarize, type EpisodeRecord, type SummaryStats } from '@autofarm/env';
import { fieldMetrics, type FieldMetrics } from './field-metrics.js';
import type { RunDir } from './run-dir.js';
import { parseWith, readJsonFile, resolveRunFile } from './validate.js';

export const SCOREBOARD_JSON = 'scoreboard.json';
export const SCOREBOARD_MD = 'scoreboard.md';

/** The metrics given a CI on every agent. */
export const CI_METRICS = ['qos_rate', 'mean_workers', 'worker_seconds', 'p95_latency'] as const;
type CiMetric = (typeof CI_METRICS)[number];

export interface ScoreboardAgent {
  summary: SummaryStats;
  records: EpisodeRecord[];
  /** Not deployable (oracle, hindsight): shown, but not ranked. */
  yardstick: boolean;
  ci: Record<CiMetric, ConfidenceInterval>;
  /** Against the hindsight yardstick; null when it was not run. */
  regret: { worker_seconds_ratio: ConfidenceInterval; qos_gap: ConfidenceInterval } | null;
  /** The field's metrics against the oracle and hindsight (field-metrics.ts); absent in older scoreboards. */
  field?: FieldMetrics;
}

export interface ScoreboardScenario {
  description: string;
  agents: Record<string, ScoreboardAgent>;
}

export interface RankRow {
  agent: string;
  /** Mean over scenarios of the agent's rank among the deployable agents (1 = best). */
  mean_rank: number;
  mean_qos: number;
  /** Geometric mean over scenarios of the worker-seconds ratio to hindsight (null without it). */
  geo_mean_ratio: number | null;
  scenarios_at_99: number;
  /** Geometric mean over scenarios of the cost ratio to hindsight at the agents' price (null without it). */
  geo_mean_cost_ratio?: number | null;
}

export interface Scoreboard {
  meta: {
    seeds: number[];
    episodes: number;
    actuation: string;
    backend: string;
    seed: number;
    yardstick: string | null;
    resamples: number;
    /** Worker-seconds one missed deadline costs in the cost ratio (general.miss_price). */
    miss_price?: number;
  };
  scenarios: Record<string, ScoreboardScenario>;
  ranking: RankRow[];
  /** benchmark --sweep: per scenario and rule, every tuning setting's mean (the Pareto plot's curves). */
  sweeps?: Record<string, Record<string, SweepPoint[]>>;
}

/** One setting of a rule on one scenario, over the sweep's seeds. */
export interface SweepPoint {
  values: Record<string, number>;
  qos: number;
  worker_seconds: number;
  /** Over hindsight's worker-seconds on the same seeds (null without hindsight). */
  ws_ratio: number | null;
}

export interface ScenarioRecords {
  name: string;
  description: string;
  /** In the order to show them. */
  agents: ReadonlyArray<{ name: string; yardstick: boolean; records: readonly EpisodeRecord[] }>;
}

export interface BuildScoreboardOptions {
  seed: number;
  actuation: string;
  backend: string;
  /** Display name of the regret yardstick (default Hindsight). */
  yardstick?: string;
  resamples?: number;
  /** Display name of the clairvoyant yardstick (default Oracle). */
  oracle?: string;
  /** Price of a missed deadline in worker-seconds for the cost ratio (default 100, general.miss_price's default). */
  missPrice?: number;
}

const metricOf = (records: readonly EpisodeRecord[], key: CiMetric) => records.map((r) => r.summary[key]);

function agentEntry(
  scenario: string,
  agent: ScenarioRecords['agents'][number],
  yard: readonly EpisodeRecord[] | null,
  oracle: readonly EpisodeRecord[] | null,
  seed: number,
  resamples: number,
  missPrice: number,
): ScoreboardAgent {
  const records = [...agent.records];
  const rng = (what: string): Rng => createRng(seed).stream(`bootstrap:${scenario}:${agent.name}:${what}`);
  const ci = {} as Record<CiMetric, ConfidenceInterval>;
  for (const key of CI_METRICS) {
    const xs = metricOf(records, key);
    ci[key] = bootstrapCi(xs.length, (idx) => mean(idx.map((i) => xs[i] as number)), rng(key), { resamples });
  }
  let regret: ScoreboardAgent['regret'] = null;
  if (yard && yard.length === records.length && yard.every((r, i) => r.seed === records[i]?.seed)) {
    const ws = metricOf(records, 'worker_seconds');
    const wsY = metricOf(yard, 'worker_seconds');
    const q = metricOf(records, 'qos_rate');
    const qY = metricOf(yard, 'qos_rate');
    const pick = (xs: readonly number[], idx: readonly number[]) => mean(idx.map((i) => xs[i] as number));
    regret = {
      worker_seconds_ratio: bootstrapCi(ws.length, (idx) => pick(ws, idx) / pick(wsY, idx), rng('ratio'), { resamples }),
      qos_gap: bootstrapCi(q.length, (idx) => 100 * (pick(qY, idx) - pick(q, idx)), rng('gap'), { resamples }),
    };
  }
  const field = fieldMetrics(records, { oracle, hindsight: yard }, missPrice);
  return { summary: summarize(records), records, yardstick: agent.yardstick, ci, regret, field };
}

/** Rank within a scenario: QoS first (to 0.1 percentage point), then fewer worker-seconds. */
function scenarioRanks(agents: Record<string, ScoreboardAgent>): Map<string, number> {
  const rows = Object.entries(agents)
    .filter(([, a]) => !a.yardstick)
    .map(([name, a]) => ({ name, qos: Math.round(a.summary.qos_rate.mean * 1000), ws: a.summary.worker_seconds.mean }));
  rows.sort((a, b) => b.qos - a.qos || a.ws - b.ws || (a.name < b.name ? -1 : 1));
  return new Map(rows.map((r, i) => [r.name, i + 1]));
}

export function buildScoreboard(scenarios: readonly ScenarioRecords[], options: BuildScoreboardOptions): Scoreboard {
  const yardName = options.yardstick ?? 'Hindsight';
  const resamples = options.resamples ?? 2000;
  const missPrice = options.missPrice ?? 100;
  const oracleName = options.oracle ?? 'Oracle';
  const out: Record<string, ScoreboardScenario> = {};
  let seeds: number[] = [];
  let hasYard = false;
  for (const s of scenarios) {
    const yard = s.agents.find((a) => a.name === yardName)?.records ?? null;
    const oracle = s.agents.find((a) => a.name === oracleName)?.records ?? null;
    hasYard ||= yard !== null;
    const agents: Record<string, ScoreboardAgent> = {};
    for (const a of s.agents) {
      agents[a.name] = agentEntry(s.name, a, yard, oracle, options.seed, resamples, missPrice);
      if (seeds.length === 0) seeds = a.records.map((r) => r.seed);
    }
    out[s.name] = { description: s.description, agents };
  }
  const ranks = Object.values(out).map((s) => scenarioRanks(s.agents));
  const names = [...new Set(scenarios.flatMap((s) => s.agents.filter((a) => !a.yardstick).map((a) => a.name)))];
  const ranking: RankRow[] = names.map((agent) => {
    const entries = Object.values(out)
      .map((s) => s.agents[agent])
      .filter((a): a is ScoreboardAgent => a !== undefined);
    const ratios = entries.map((a) => a.regret?.worker_seconds_ratio.estimate).filter((r): r is number => r !== undefined);
    const costs = entries.map((a) => a.field?.cost_ratio).filter((r): r is number => typeof r === 'number');
    return {
      agent,
      mean_rank: mean(ranks.map((r) => r.get(agent)).filter((r): r is number => r !== undefined)),
      mean_qos: mean(entries.map((a) => a.summary.qos_rate.mean)),
      geo_mean_ratio: ratios.length > 0 ? Math.exp(mean(ratios.map(Math.log))) : null,
      scenarios_at_99: entries.filter((a) => a.summary.qos_rate.mean >= 0.99).length,
      geo_mean_cost_ratio: costs.length > 0 ? Math.exp(mean(costs.map(Math.log))) : null,
    };
  });
  ranking.sort((a, b) => a.mean_rank - b.mean_rank || (a.agent < b.agent ? -1 : 1));
  return {
    meta: {
      seeds,
      episodes: seeds.length,
      actuation: options.actuation,
      backend: options.backend,
      seed: options.seed,
      yardstick: hasYard ? yardName : null,
      resamples,
      miss_price: missPrice,
    },
    scenarios: out,
    ranking,
  };
}

/** Agents that match or beat the yardstick on both QoS and worker-seconds (and strictly on one), per scenario. */
export function dominators(board: Scoreboard): Array<{ scenario: string; agent: string }> {
  const out: Array<{ scenario: string; agent: string }> = [];
  const yard = board.meta.yardstick;
  if (!yard) return out;
  for (const [scenario, s] of Object.entries(board.scenarios)) {
    const y = s.agents[yard];
    if (!y) continue;
    for (const [agent, a] of Object.entries(s.agents)) {
      if (agent === yard) continue;
      const q = a.summary.qos_rate.mean;
      const w = a.summary.worker_seconds.mean;
      const qY = y.summary.qos_rate.mean;
      const wY = y.summary.worker_seconds.mean;
      if (q >= qY && w <= wY && (q > qY || w < wY)) out.push({ scenario, agent });
    }
  }
  return out;
}

/**
 * The deployable agents (tuned rules included) with strictly higher mean QoS AND fewer mean
 * worker-seconds than `agent` on `scenario` (a tie in QoS is not a loss); empty for a yardstick.
 */
export function beatenBy(board: Scoreboard, scenario: string, agent: string): string[] {
  const agents = board.scenarios[scenario]?.agents ?? {};
  const me = agents[agent];
  if (!me || me.yardstick) return [];
  return Object.entries(agents)
    .filter(([name, a]) => name !== agent && !a.yardstick && !/^replay/i.test(name))
    .filter(([, a]) => a.summary.qos_rate.mean > me.summary.qos_rate.mean && a.summary.worker_seconds.mean < me.summary.worker_seconds.mean)
    .map(([name]) => name);
}

const f = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const withCi = (ci: ConfidenceInterval, scale: number, digits: number) =>
  `${f(ci.estimate * scale, digits)} [${f(ci.lo * scale, digits)}, ${f(ci.hi * scale, digits)}]`;

const opt = (x: number | null | undefined, scale: number, digits: number) => (typeof x === 'number' ? f(x * scale, digits) : 'n/a');

/** ws / oracle, cost / hindsight and under / over cells ('-': QoS below the oracle's; n/a: no yardstick). */
function fieldCells(m: FieldMetrics | undefined): string {
  if (!m) return 'n/a | n/a | n/a';
  const ws = m.ws_over_oracle === null ? '-' : f(m.ws_over_oracle, 2);
  const share = m.under_timeshare === null ? 'n/a' : `${opt(m.under_timeshare, 100, 0)} / ${opt(m.over_timeshare, 100, 0)}`;
  return `${ws} | ${opt(m.cost_ratio, 1, 2)} | ${share}`;
}

export function scoreboardMarkdown(board: Scoreboard): string {
  const { meta } = board;
  const lines: string[] = [
    '# Benchmark scoreboard',
    '',
    `${Object.keys(board.scenarios).length} scenarios x ${meta.episodes} held-out seeds ` +
      `(${meta.seeds[0] ?? '-'}..${meta.seeds.at(-1) ?? '-'}), backend ${meta.backend}, ` +
      `actuation ${meta.actuation}.`,
    `Cells: mean [95 % bootstrap CI over seeds, ${meta.resamples} resamples]. Regret ` +
      `is against ${meta.yardstick ?? '(no yardstick run)'} on the same seeds: worker-seconds ` +
      `ratio (1 = as frugal) and QoS gap in percentage points (0 = as good). Yardsticks ` +
      `(*) are not deployable and not ranked.`,
    '',
    '## Overall ranking',
    '',
    'Within each scenario the deployable agents are ordered by QoS (to 0.1 pp), then ' +
      'by fewer worker-seconds; the ranking is the mean of those ranks.',
    '',
    '| Rank | Agent | Mean rank | Mean QoS [%] | Scenarios at >= 99 % QoS | Worker-seconds ratio (geo. mean) | Cost ratio (geo. mean) |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...board.ranking.map(
      (r, i) =>
        `| ${i + 1} | ${r.agent} | ${f(r.mean_rank, 2)} | ${f(r.mean_qos * 100, 2)} | ${r.scenarios_at_99} ` +
        `/ ${Object.keys(board.scenarios).length} | ${r.geo_mean_ratio === null ? 'n/a' : f(r.geo_mean_ratio, 2)} ` +
        `| ${opt(r.geo_mean_cost_ratio, 1, 2)} |`,
    ),
    '',
  ];
  const dom = dominators(board);
  if (meta.yardstick) {
    lines.push(
      dom.length === 0
        ? `${meta.yardstick} is undominated on every scenario: no agent matches or beats it on both QoS and worker-seconds.`
        : `WARNING: ${meta.yardstick} is dominated (the yardstick is wrong) by ` +
            `${dom.map((d) => `${d.agent} on ${d.scenario}`).join(', ')}.`,
      '',
    );
  }
  lines.push(
    `Field metrics per scenario: ws / oracle = worker-seconds over the oracle's where the QoS is at least ` +
      `the oracle's (to 0.1 pp; "-" where it is lower); cost / hindsight = cost at the agents' price ` +
      `(worker-seconds + ${meta.miss_price ?? 100} x missed deadlines) over hindsight's, an empirical ` +
      `competitive ratio; under / over = share of steps with fewer / more workers than hindsight on the ` +
      `same seed (SPEC RG elasticity timeshares); beaten by = deployable agents (tuned rules included) ` +
      `with higher QoS and fewer worker-seconds.`,
    '',
  );
  for (const [name, s] of Object.entries(board.scenarios)) {
    lines.push(
      `## ${name}`,
      '',
      s.description,
      '',
      '| Agent | QoS [%] | Mean workers | Worker-seconds | p95 latency [s] | Worker-seconds ratio | QoS gap [pp] ' +
        '| ws / oracle | cost / hindsight | under / over [%] | beaten by |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const [agent, a] of Object.entries(s.agents)) {
      const regret = a.regret ? [withCi(a.regret.worker_seconds_ratio, 1, 2), withCi(a.regret.qos_gap, 1, 2)] : ['n/a', 'n/a'];
      lines.push(
        `| ${agent}${a.yardstick ? ' *' : ''} | ${withCi(a.ci.qos_rate, 100, 2)} | ${withCi(a.ci.mean_workers, 1, 1)} ` +
          `| ${withCi(a.ci.worker_seconds, 1, 0)} | ${withCi(a.ci.p95_latency, 1, 2)} | ${regret.join(' | ')} ` +
          `| ${fieldCells(a.field)} | ${beatenBy(board, name, agent).join(', ') || '–'} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

/** Writes scoreboard.json (compact: it holds every record) and scoreboard.md. */
export function writeScoreboard(dir: RunDir, board: Scoreboard): void {
  dir.writeText(SCOREBOARD_JSON, `${JSON.stringify(board)}\n`);
  dir.writeText(SCOREBOARD_MD, scoreboardMarkdown(board));
}

const ciSchema = z.object({ estimate: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() }).passthrough();
const fileSchema = z.object({
  meta: z.object({
    seeds: z.array(z.number()),
    episodes: z.number(),
    actuation: z.string(),
    backend: z.string(),
    seed: z.number(),
    yardstick: z.string().nullable(),
    resamples: z.number(),
    miss_price: z.number().optional(),
  }),
  scenarios: z.record(
    z.string(),
    z.object({
      description: z.string(),
      agents: z.record(
        z.string(),
        z.object({
          summary: z.record(z.string(), z.unknown()),
          records: z.array(z.unknown()),
          yardstick: z.boolean(),
          ci: z.record(z.string(), ciSchema),
          regret: z.unknown(),
          field: z.unknown().optional(),
        }),
      ),
    }),
  ),
  ranking: z.array(z.unknown()),
  sweeps: z.unknown().optional(),
});

/** Reads scoreboard.json from a run directory or the file itself; ModelFileError when missing or malformed. */
export function readScoreboard(dirOrFile: string): Scoreboard {
  const file = resolveRunFile(dirOrFile, SCOREBOARD_JSON, 'benchmark scoreboard');
  return parseWith(fileSchema, readJsonFile(file), file, SCOREBOARD_JSON) as unknown as Scoreboard;
}
