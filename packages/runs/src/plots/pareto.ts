/**
 * The Pareto plot of a benchmark, one panel per scenario: QoS against worker-seconds over
 * hindsight's. Each rule with knobs is a curve through its tuning settings (benchmark --sweep;
 * without a sweep, a dashed segment from its platform default to its tuned row), each other
 * agent a point. A learned agent is worth its training only where it lies above and left of
 * every curve: the issue-20 question "does learning beat a calibrated rule at the same price?".
 */
import { join } from 'node:path';
import type { Scoreboard, SweepPoint } from '../scoreboard.js';
import { renderPanels, writePng, type ChartSpec, type Series } from './chart.js';
import { qosPanel } from './benchmark.js';

export const BENCHMARK_PARETO_FILE = 'benchmark_pareto.png';

const YARDSTICK_COLOURS: Record<string, string> = { Hindsight: '#000000', Oracle: '#393b79' };
/** Learned agents and rules without knobs: dark and gold, apart from the tab10 the rule families take. */
const OTHER_COLOURS = ['#000000', '#e6ab02', '#666666', '#a6761d', '#1b9e77'];

/** The rule's display-name stem of a row name: `KPA-tuned` -> `KPA`; null for rows that are not a tuned rule. */
const tunedStem = (agent: string) => (agent.endsWith('-tuned') ? agent.slice(0, -'-tuned'.length) : null);

function curve(points: readonly SweepPoint[]): Array<{ x: number; y: number }> {
  return points
    .filter((p) => p.ws_ratio !== null && Number.isFinite(p.ws_ratio))
    .map((p) => ({ x: p.ws_ratio as number, y: p.qos * 100 }))
    .sort((a, b) => a.x - b.x || a.y - b.y);
}

function paretoPanel(name: string, board: Scoreboard): ChartSpec {
  const agents = board.scenarios[name]?.agents ?? {};
  const sweeps = board.sweeps?.[name] ?? {};
  const series: Series[] = [];
  const families = new Set(
    Object.keys(agents)
      .map(tunedStem)
      .filter((s): s is string => s !== null),
  );
  // the sweeps are keyed by rule name (kpa), rows by display name (KPA): match case-insensitively
  const sweepOf = (display: string) => Object.entries(sweeps).find(([rule]) => rule.toLowerCase() === display.toLowerCase())?.[1];
  for (const family of families) {
    const points = sweepOf(family);
    const ends = [agents[family], agents[`${family}-tuned`]].filter((a) => a?.regret);
    const pts = points
      ? curve(points)
      : ends.map((a) => ({ x: a?.regret?.worker_seconds_ratio.estimate as number, y: (a?.summary.qos_rate.mean ?? 0) * 100 }));
    series.push({
      label: `${family} sweep`,
      colorKey: family,
      points: pts,
      kind: points ? 'line' : 'dashed',
      lineWidth: 1.5,
      legend: false,
    });
  }
  let others = 0;
  for (const [agent, a] of Object.entries(agents)) {
    if (!a.regret) continue;
    const family = tunedStem(agent) ?? (families.has(agent) ? agent : null);
    // the agents that are no rule family (learned agents, rules without knobs) get colours of their own
    const fixed = a.yardstick ? YARDSTICK_COLOURS[agent] : family === null ? OTHER_COLOURS[others++ % OTHER_COLOURS.length] : undefined;
    series.push({
      label: agent,
      colorKey: family ?? agent,
      ...(fixed ? { color: fixed } : {}),
      legend: tunedStem(agent) === null,
      kind: 'scatter',
      marker: a.yardstick ? 'star' : tunedStem(agent) ? 'rectRot' : families.has(agent) ? 'circle' : 'triangle',
      markerSize: a.yardstick ? 9 : 6,
      points: [{ x: a.regret.worker_seconds_ratio.estimate, y: a.summary.qos_rate.mean * 100 }],
    });
  }
  // ratios: from at most 0.9 (hindsight is 1) up to at most 6 (low-load's safe rules reach ~9)
  return qosPanel(name, "worker-seconds / hindsight's", series, (xs) => [Math.min(0.9, ...xs), Math.min(6, Math.max(...xs)) * 1.05]);
}

/** Writes the per-scenario Pareto panels (one figure) and returns the path. */
export function plotPareto(board: Scoreboard, outDir: string): string {
  const panels = Object.keys(board.scenarios).map((name) => paretoPanel(name, board));
  const title = board.sweeps
    ? "Pareto: line = a rule's tuning sweep; circle = default, diamond = tuned, triangle = other agent"
    : 'Pareto: dashed = a rule from default (circle) to tuned (diamond); triangle = other agent';
  return writePng(join(outDir, BENCHMARK_PARETO_FILE), renderPanels({ title, columns: 3, legend: 'shared', panels }));
}
