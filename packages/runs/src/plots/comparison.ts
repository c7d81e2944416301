/**
 * Figures of a policy comparison (compare-policies): every agent on shared axes.
 * Both read only EpisodeRecords, so `--plot-only` can redraw them from aggregated_results.json.
 */
import { join } from 'node:path';
import { mean } from '@autofarm/core';
import type { EpisodeRecord } from '@autofarm/env';
import { renderChart, renderPanels, writePng, type ChartSpec, type Series } from './chart.js';
import { niceRange, perStepStats, type StepStats } from './series-stats.js';

export const COMPARISON_PLOT_FILE = 'comparison_plots.png';
export const QOS_VS_WORKERS_FILE = 'qos_vs_workers.png';

type Agents = Record<string, readonly EpisodeRecord[]>;

interface StepPanel {
  title: string;
  yLabel: string;
  pick: (r: EpisodeRecord) => readonly number[];
  scale?: number;
  yMin?: number;
  yMax?: number;
}

const STEP_PANELS: readonly StepPanel[] = [
  { title: 'Workers', yLabel: 'workers', pick: (r) => r.worker_counts, yMin: 0 },
  { title: 'Window QoS', yLabel: 'QoS [%]', pick: (r) => r.qos_rates, scale: 100, yMax: 100 },
  { title: 'Worker-queue backlog', yLabel: 'tasks waiting', pick: (r) => r.queue_lengths, yMin: 0 },
  { title: 'Arrival rate', yLabel: 'tasks / s', pick: (r) => r.arrival_rates, yMin: 0 },
];

/** Label of the single line drawn when every agent saw the very same values (same seeds, e.g. arrivals on `sim`). */
export const SHARED_SERIES_LABEL = 'all policies (identical)';

function sameStats(a: StepStats, b: StepStats): boolean {
  return a.mean.length === b.mean.length && a.mean.every((p, i) => p.x === b.mean[i]?.x && p.y === b.mean[i]?.y);
}

/**
 * One panel per metric; each agent's line is the per-step mean over its episodes, its band
 * mean ± std clipped to min/max. When every agent has exactly the same values on a panel (the
 * arrival rate on the simulator: same seeds, same workload) one grey line replaces them, so the
 * last agent drawn does not hide the others.
 */
export function comparisonPanels(agents: Agents): ChartSpec[] {
  const names = Object.keys(agents);
  // x in seconds: the end of step i as an episode recorded it (the same on every seed of the
  // simulator; 8, 16, ... by default), so a step of another length reads on the same axis.
  const all = Object.values(agents).flat();
  const secondsAt = (i: number) => all.find((r) => r.times[i] !== undefined)?.times[i] ?? i + 1;
  return STEP_PANELS.map((panel) => {
    const stats = names.map((name) => perStepStats((agents[name] ?? []).map(panel.pick), panel.scale ?? 1, secondsAt));
    const many = Object.values(agents).some((records) => records.length > 1);
    const first = stats[0];
    const series: Series[] =
      names.length > 1 && first && stats.every((s) => sameStats(s, first))
        ? [{ label: SHARED_SERIES_LABEL, points: first.mean, band: many ? first.band : undefined, color: '#333333', kind: 'dashed' }]
        : names.map((name, i) => ({
            label: name,
            points: stats[i]?.mean ?? [],
            band: many ? stats[i]?.band : undefined,
            color: oracleColour(name),
          }));
    return { title: panel.title, xLabel: 'time [s]', yLabel: panel.yLabel, yMin: panel.yMin, yMax: panel.yMax, series };
  });
}

/** Writes `<outDir>/comparison_plots.png` and returns its path. */
export function plotComparison(agents: Agents, outDir: string): string {
  const episodes = Math.max(0, ...Object.values(agents).map((r) => r.length));
  return writePng(
    join(outDir, COMPARISON_PLOT_FILE),
    renderPanels({
      title: `Policy comparison: per-step mean ± std over ${episodes} episode(s)`,
      columns: 2,
      legend: 'shared',
      panels: comparisonPanels(agents),
    }),
  );
}

/** The clairvoyant yardstick is drawn in black with a star so it is never mistaken for a policy. */
export function isOracle(name: string): boolean {
  return /oracle/i.test(name);
}

function oracleColour(name: string): string | undefined {
  return isOracle(name) ? '#000000' : undefined;
}

/** Per-episode QoS (%) against mean workers, one colour per agent, a big ✕ at each agent's mean. */
export function qosVsWorkersChart(agents: Agents): ChartSpec {
  const series: Series[] = [];
  for (const [name, records] of Object.entries(agents)) {
    const points = records.map((r) => ({ x: r.summary.mean_workers, y: r.summary.qos_rate * 100 }));
    const oracle = isOracle(name);
    series.push({
      label: name,
      points,
      kind: 'scatter',
      marker: oracle ? 'star' : 'circle',
      markerSize: oracle ? 7 : 5,
      color: oracleColour(name),
    });
    if (points.length > 0) {
      series.push({
        label: `${name} mean`,
        colorKey: name,
        color: oracleColour(name),
        legend: false,
        kind: 'scatter',
        marker: oracle ? 'star' : 'crossRot',
        markerSize: oracle ? 16 : 13,
        points: [{ x: mean(points.map((p) => p.x)), y: mean(points.map((p) => p.y)) }],
      });
    }
  }
  // Round limits with a little room, so no marker sits on the frame.
  const all = series.flatMap((s) => s.points);
  const pad = (lo: number, hi: number) => Math.max((hi - lo) * 0.04, 0.05);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const x = all.length ? niceRange(x0 - pad(x0, x1), x1 + pad(x0, x1), 8) : undefined;
  const y = all.length ? niceRange(y0 - pad(y0, y1), Math.min(100, y1 + pad(y0, y1)), 8) : undefined;
  return {
    xMin: x?.min,
    xMax: x?.max,
    yMin: y?.min,
    yMax: y === undefined ? undefined : Math.min(100, y.max),
    title: "QoS vs mean workers per episode (large marker: the policy's mean; star: the clairvoyant oracle)",
    xLabel: 'mean workers (mean over equal-length steps)',
    yLabel: 'QoS rate [%]',
    series,
    width: 1000,
    height: 620,
  };
}

/** Writes `<outDir>/qos_vs_workers.png` and returns its path. */
export function plotQosVsWorkers(agents: Agents, outDir: string): string {
  return writePng(join(outDir, QOS_VS_WORKERS_FILE), renderChart(qosVsWorkersChart(agents)));
}
