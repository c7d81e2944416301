/**
 * Figures of a benchmark (autofarm benchmark), drawn from scoreboard.json alone so
 * `--plot-only` can redraw them: one QoS-vs-worker-seconds scatter per scenario (one legend for
 * all), and a heat map of regret against the hindsight yardstick (agent x scenario).
 */
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { mean } from '@autofarm/core';
import type { Scoreboard } from '../scoreboard.js';
import { renderPanels, writePng, type ChartSpec, type Series } from './chart.js';
import { niceRange } from './series-stats.js';

export const BENCHMARK_SCATTER_FILE = 'benchmark_qos_vs_worker_seconds.png';
export const BENCHMARK_HEATMAP_FILE = 'benchmark_regret_heatmap.png';

const FONT = "'DejaVu Sans', sans-serif";
const YARDSTICK_COLOURS: Record<string, string> = { Hindsight: '#000000', Oracle: '#393b79' };

function scenarioPanel(name: string, board: Scoreboard): ChartSpec {
  const agents = board.scenarios[name]?.agents ?? {};
  const series: Series[] = [];
  for (const [agent, a] of Object.entries(agents)) {
    const points = a.records.map((r) => ({ x: r.summary.worker_seconds, y: r.summary.qos_rate * 100 }));
    const color = YARDSTICK_COLOURS[agent];
    series.push({
      label: agent,
      points,
      kind: 'scatter',
      marker: a.yardstick ? 'star' : 'circle',
      markerSize: a.yardstick ? 6 : 3,
      opacity: 0.6,
      ...(color ? { color } : {}),
    });
    series.push({
      label: `${agent} mean`,
      colorKey: agent,
      legend: false,
      kind: 'scatter',
      marker: a.yardstick ? 'star' : 'crossRot',
      markerSize: a.yardstick ? 14 : 11,
      points: [{ x: mean(points.map((p) => p.x)), y: mean(points.map((p) => p.y)) }],
      ...(color ? { color } : {}),
    });
  }
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const x = all.length ? niceRange(Math.min(...xs) * 0.95, Math.max(...xs) * 1.05, 6) : undefined;
  const y = all.length ? niceRange(Math.max(0, Math.min(...ys) - 1), 100, 6) : undefined;
  return {
    title: name,
    xLabel: 'worker-seconds per episode',
    yLabel: 'QoS [%]',
    series,
    width: 620,
    height: 420,
    xMin: x?.min,
    xMax: x?.max,
    yMin: y?.min,
    yMax: 100,
  };
}

/** Writes the per-scenario scatters (one panel each) and returns the path. */
export function plotBenchmarkScatter(board: Scoreboard, outDir: string): string {
  const panels = Object.keys(board.scenarios).map((name) => scenarioPanel(name, board));
  const title = `QoS vs worker-seconds per episode (${board.meta.episodes} seeds; large marker: mean; star: yardstick)`;
  return writePng(join(outDir, BENCHMARK_SCATTER_FILE), renderPanels({ title, columns: 3, legend: 'shared', panels }));
}

/** White (ratio 1) to red (ratio >= 3) on a log scale; grey for no data. */
function heat(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '#dddddd';
  const t = Math.max(0, Math.min(1, Math.log(Math.max(ratio, 1)) / Math.log(3)));
  const g = Math.round(255 - 190 * t);
  return `rgb(255, ${g}, ${g})`;
}

/** Agent x scenario cells: worker-seconds ratio to hindsight (colour and first line) and QoS gap (second line). */
export function renderRegretHeatmap(board: Scoreboard): Buffer {
  const scenarios = Object.keys(board.scenarios);
  const agents = [...new Set(scenarios.flatMap((s) => Object.keys(board.scenarios[s]?.agents ?? {})))].filter(
    (a) => a !== board.meta.yardstick,
  );
  const cellW = 118;
  const cellH = 46;
  const left = 170;
  const top = 150;
  const canvas = createCanvas(Math.max(760, left + cellW * scenarios.length + 20), top + cellH * agents.length + 50);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111111';
  ctx.font = `bold 18px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(`Regret vs ${board.meta.yardstick ?? '(no yardstick)'}: worker-seconds ratio (colour) and QoS gap in pp`, 12, 24);
  ctx.font = `13px ${FONT}`;
  scenarios.forEach((s, j) => {
    ctx.save();
    ctx.translate(left + j * cellW + cellW / 2, top - 8);
    ctx.rotate(-Math.PI / 5);
    ctx.fillText(s, 0, 0);
    ctx.restore();
  });
  agents.forEach((agent, i) => {
    const y = top + i * cellH;
    ctx.fillStyle = '#111111';
    ctx.textAlign = 'right';
    ctx.fillText(agent, left - 10, y + cellH / 2);
    scenarios.forEach((s, j) => {
      const regret = board.scenarios[s]?.agents[agent]?.regret;
      const x = left + j * cellW;
      ctx.fillStyle = heat(regret?.worker_seconds_ratio.estimate);
      ctx.fillRect(x, y, cellW - 2, cellH - 2);
      ctx.fillStyle = '#111111';
      ctx.textAlign = 'center';
      if (regret) {
        ctx.fillText(`x${regret.worker_seconds_ratio.estimate.toFixed(2)}`, x + cellW / 2, y + cellH / 2 - 9);
        const delta = -regret.qos_gap.estimate;
        ctx.fillText(`QoS ${delta >= 0 ? '+' : ''}${delta.toFixed(2)} pp`, x + cellW / 2, y + cellH / 2 + 9);
      } else {
        ctx.fillText('n/a', x + cellW / 2, y + cellH / 2);
      }
    });
  });
  return canvas.toBuffer('image/png');
}

export function plotRegretHeatmap(board: Scoreboard, outDir: string): string {
  return writePng(join(outDir, BENCHMARK_HEATMAP_FILE), renderRegretHeatmap(board));
}
