/**
 * Benchmark suites: `one-shot` (scenarios/*.yml) and `recurring` (scenarios/recurring/*.yml,
 * the same workloads played as 5 jittered days). A recurring scenario is scored from its
 * second day on: the first day is the history every predictive scaler needs (AWS asks for
 * 24 h), and is reported beside the score. Days start on the step at or after d x day length.
 */
import { join } from 'node:path';
import { mean, type Config } from '@autofarm/core';
import { sliceRecord, stepStartingAt, type EpisodeRecord } from '@autofarm/env';
import type { Scoreboard, ScenarioRecords } from '@autofarm/runs';

export const SUITES = ['one-shot', 'recurring'] as const;
export type Suite = (typeof SUITES)[number];

/** Where a suite's scenarios live, given the base scenarios directory. */
export function suiteDir(scenariosDir: string, suite: Suite): string {
  return suite === 'recurring' ? join(scenariosDir, 'recurring') : scenariosDir;
}

/** Seconds of one day of a recurring workload (null for a one-shot one). */
export function dayLength(config: Config): number | null {
  return config.workload.repeat.times > 1 ? config.workload.phases.reduce((s, p) => s + p.duration, 0) : null;
}

/**
 * Each recurring scenario's records cut at the start of day 2: `first` holds day 1, `rest` days 2
 * on. One-shot scenarios stay whole in `rest`.
 */
export function splitFirstDay(
  scenarios: readonly ScenarioRecords[],
  configs: ReadonlyMap<string, Config>,
): { first: ScenarioRecords[]; rest: ScenarioRecords[] } {
  const cut = (s: ScenarioRecords, part: (r: EpisodeRecord, from: number) => EpisodeRecord): ScenarioRecords => {
    const config = configs.get(s.name);
    const day = config ? dayLength(config) : null;
    if (day === null) return s;
    return { ...s, agents: s.agents.map((a) => ({ ...a, records: a.records.map((r) => part(r, stepStartingAt(r, day))) })) };
  };
  return {
    first: scenarios.map((s) => cut(s, (r, from) => sliceRecord(r, 0, from))),
    rest: scenarios.map((s) => cut(s, (r, from) => sliceRecord(r, from))),
  };
}

export interface SuiteRow {
  agent: string;
  yardstick: boolean;
  /** Mean over scenarios of the agent's mean QoS, days 2 on. */
  qos: number;
  /** Geometric mean over scenarios of worker-seconds over hindsight's, days 2 on (null without hindsight). */
  geo_ratio: number | null;
  worst_ratio: number | null;
  worst_scenario: string | null;
  /** The same two on day 1. */
  day1_qos: number;
  day1_geo_ratio: number | null;
}

function perAgent(board: Scoreboard): Map<string, { yardstick: boolean; qos: number[]; ratios: Array<[string, number]> }> {
  const out = new Map<string, { yardstick: boolean; qos: number[]; ratios: Array<[string, number]> }>();
  for (const [scenario, s] of Object.entries(board.scenarios)) {
    for (const [agent, a] of Object.entries(s.agents)) {
      const row = out.get(agent) ?? { yardstick: a.yardstick, qos: [], ratios: [] };
      row.qos.push(a.summary.qos_rate.mean);
      if (a.regret) row.ratios.push([scenario, a.regret.worker_seconds_ratio.estimate]);
      out.set(agent, row);
    }
  }
  return out;
}

const geo = (xs: readonly number[]) => (xs.length > 0 ? Math.exp(mean(xs.map(Math.log))) : null);

/** One row per agent: the recurring suite's headline (days 2 on) with day 1 beside it. */
export function suiteRows(rest: Scoreboard, first: Scoreboard): SuiteRow[] {
  const day1 = perAgent(first);
  return [...perAgent(rest).entries()].map(([agent, r]) => {
    const worst = r.ratios.reduce<[string, number] | null>((w, x) => (w === null || x[1] > w[1] ? x : w), null);
    const d1 = day1.get(agent);
    return {
      agent,
      yardstick: r.yardstick,
      qos: mean(r.qos),
      geo_ratio: geo(r.ratios.map((x) => x[1])),
      worst_ratio: worst ? worst[1] : null,
      worst_scenario: worst ? worst[0] : null,
      day1_qos: d1 ? mean(d1.qos) : Number.NaN,
      day1_geo_ratio: d1 ? geo(d1.ratios.map((x) => x[1])) : null,
    };
  });
}

export function suiteMarkdown(rows: readonly SuiteRow[], scenarios: number, episodes: number): string {
  const f = (x: number | null, d: number) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  return [
    '# Recurring suite: scored from day 2',
    '',
    `${scenarios} scenarios x ${episodes} held-out seeds. QoS = mean over scenarios; worker-seconds over ` +
      "hindsight's on the same days and seeds: geometric mean over scenarios and the worst scenario. Day 1 " +
      '(the history) beside it. Yardsticks (*) are not deployable.',
    '',
    '| Agent | QoS days 2+ [%] | WS / hindsight days 2+ (geo. mean) | Worst scenario | QoS day 1 [%] | WS / hindsight day 1 |',
    '|---|---:|---:|---|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.agent}${r.yardstick ? ' *' : ''} | ${f(100 * r.qos, 2)} | ${f(r.geo_ratio, 3)} | ` +
        `${r.worst_scenario ? `${f(r.worst_ratio, 3)} (${r.worst_scenario})` : 'n/a'} | ` +
        `${f(100 * r.day1_qos, 2)} | ${f(r.day1_geo_ratio, 3)} |`,
    ),
    '',
  ].join('\n');
}
