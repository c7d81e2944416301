/**
 * Figures of a benchmark (autofarm benchmark), drawn from scoreboard.json alone so
 * `--plot-only` can redraw them: one QoS-vs-worker-seconds scatter per scenario (one legend for
 * all, one colour and marker per agent), and a heat map of regret against the hindsight
 * yardstick (agent x scenario; worker-seconds ratio and QoS gap, each with a colour bar).
 */
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { mean } from '@autofarm/core';
import type { Scoreboard } from '../scoreboard.js';
import { PALETTE, renderPanels, writePng, type ChartSpec, type Marker, type Series } from './chart.js';
import { niceRange } from './series-stats.js';

export const BENCHMARK_SCATTER_FILE = 'benchmark_qos_vs_worker_seconds.png';
export const BENCHMARK_HEATMAP_FILE = 'benchmark_regret_heatmap.png';

const FONT = "'DejaVu Sans', sans-serif";
const YARDSTICK_COLOURS: Record<string, string> = { Hindsight: '#000000', Oracle: '#393b79' };
/** Markers for the deployable agents, cycled: with more agents than colours the pair stays distinct. */
const MARKERS: readonly Marker[] = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'cross'];

export interface AgentStyle {
  color: string;
  marker: Marker;
}

/**
 * One colour and marker per agent for every panel: yardsticks black / dark blue stars, the
 * others the palette minus those two colours, in first-seen order. (The palette's 11th colour
 * is the oracle's; an 11th agent, "SARSA (general)", drew in it, issue 22 item 5.)
 */
export function agentStyles(board: Scoreboard): Map<string, AgentStyle> {
  const styles = new Map<string, AgentStyle>();
  const reserved = new Set(Object.values(YARDSTICK_COLOURS));
  const colours = PALETTE.filter((c) => !reserved.has(c));
  let n = 0;
  for (const scenario of Object.values(board.scenarios)) {
    for (const [agent, a] of Object.entries(scenario.agents)) {
      if (styles.has(agent)) continue;
      const own = YARDSTICK_COLOURS[agent];
      if (a.yardstick) styles.set(agent, { color: own ?? '#444444', marker: 'star' });
      else {
        styles.set(agent, { color: colours[n % colours.length] as string, marker: MARKERS[n % MARKERS.length] as Marker });
        n++;
      }
    }
  }
  return styles;
}

function scenarioPanel(name: string, board: Scoreboard, styles: Map<string, AgentStyle>): ChartSpec {
  const agents = board.scenarios[name]?.agents ?? {};
  const series: Series[] = [];
  for (const [agent, a] of Object.entries(agents)) {
    const points = a.records.map((r) => ({ x: r.summary.worker_seconds, y: r.summary.qos_rate * 100 }));
    const style = styles.get(agent) as AgentStyle;
    series.push({
      label: agent,
      points,
      kind: 'scatter',
      marker: style.marker,
      markerSize: a.yardstick ? 6 : 3,
      opacity: 0.6,
      color: style.color,
    });
    series.push({
      label: `${agent} mean`,
      colorKey: agent,
      legend: false,
      kind: 'scatter',
      marker: style.marker,
      markerSize: a.yardstick ? 14 : 11,
      points: [{ x: mean(points.map((p) => p.x)), y: mean(points.map((p) => p.y)) }],
      color: style.color,
    });
  }
  return qosPanel(name, 'worker-seconds per episode', series, (xs) => [Math.min(...xs) * 0.95, Math.max(...xs) * 1.05]);
}

/**
 * A QoS-against-cost panel (the scatter's and the Pareto plot's): y from 1 pp below the lowest
 * finite point up to 100 %, x over `xSpan` of the finite points' x values.
 */
export function qosPanel(title: string, xLabel: string, series: Series[], xSpan: (xs: number[]) => [number, number]): ChartSpec {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const x = all.length ? niceRange(...xSpan(all.map((p) => p.x)), 6) : undefined;
  const y = all.length ? niceRange(Math.max(0, Math.min(...all.map((p) => p.y)) - 1), 100, 6) : undefined;
  return { title, xLabel, yLabel: 'QoS [%]', series, width: 620, height: 420, xMin: x?.min, xMax: x?.max, yMin: y?.min, yMax: 100 };
}

/** Writes the per-scenario scatters (one panel each) and returns the path. */
export function plotBenchmarkScatter(board: Scoreboard, outDir: string): string {
  const styles = agentStyles(board);
  const panels = Object.keys(board.scenarios).map((name) => scenarioPanel(name, board, styles));
  const title = `QoS vs worker-seconds per episode (${board.meta.episodes} seeds; large marker: mean; star: yardstick)`;
  return writePng(join(outDir, BENCHMARK_SCATTER_FILE), renderPanels({ title, columns: 3, legend: 'shared', panels }));
}

/** A diverging colour: t in [-1, 1], 0 white, +1 red (worse), -1 blue (better than the yardstick). */
function diverging(t: number): string {
  const u = Math.max(-1, Math.min(1, t));
  const fade = Math.round(255 - 190 * Math.abs(u));
  return u >= 0 ? `rgb(255, ${fade}, ${fade})` : `rgb(${fade}, ${fade}, 255)`;
}

/** One heat-map panel: its title, the colour of a value, how a value prints, and its colour bar's ticks. */
interface HeatPanel {
  title: string;
  value: (r: NonNullable<ScoreboardRegret>) => number;
  colour: (v: number) => string;
  format: (v: number) => string;
  /** Tick values of the colour bar, low to high (the bar spans the first to the last). */
  ticks: number[];
  /** Position in [0, 1] of a value along the bar. */
  at: (v: number) => number;
}

type ScoreboardRegret = Scoreboard['scenarios'][string]['agents'][string]['regret'];

// Worker-seconds ratio on a log scale, 1/3 (blue) .. 1 (white) .. 3 (red).
const RATIO_PANEL: HeatPanel = {
  title: 'worker-seconds ratio (1 = as frugal)',
  value: (r) => r.worker_seconds_ratio.estimate,
  colour: (v) => diverging(Math.log(v) / Math.log(3)),
  format: (v) => `x${v.toFixed(2)}`,
  ticks: [1 / 3, 0.5, 1, 2, 3],
  at: (v) => (Math.log(v) / Math.log(3) + 1) / 2,
};
// QoS gap as scoreboard.md prints it: yardstick minus agent, pp; 0 white, 30 pp and more red.
const GAP_PANEL: HeatPanel = {
  title: 'QoS gap in pp (0 = as good; positive = below it)',
  value: (r) => r.qos_gap.estimate,
  colour: (v) => diverging(v / 30),
  format: (v) => v.toFixed(2),
  ticks: [-30, -15, 0, 15, 30],
  at: (v) => (v / 30 + 1) / 2,
};

/**
 * Agent x scenario regret against the yardstick in two panels, each with its colour bar: the
 * worker-seconds ratio and the QoS gap, so a cheap agent far below the yardstick's QoS is not a
 * pale cell (issue 22 item 6). The gap has scoreboard.md's sign.
 */
export function renderRegretHeatmap(board: Scoreboard): Buffer {
  const scenarios = Object.keys(board.scenarios);
  const agents = [...new Set(scenarios.flatMap((s) => Object.keys(board.scenarios[s]?.agents ?? {})))].filter(
    (a) => a !== board.meta.yardstick,
  );
  const panels = [RATIO_PANEL, GAP_PANEL];
  const cellW = 76;
  const cellH = 34;
  const left = 170;
  const top = 170;
  const gap = 40;
  const panelW = cellW * Math.max(1, scenarios.length);
  const barTop = top + cellH * agents.length + 24;
  const canvas = createCanvas(Math.max(760, left + panels.length * (panelW + gap)), barTop + 70);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111111';
  ctx.font = `bold 18px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(`Regret vs ${board.meta.yardstick ?? '(no yardstick)'} on the same seeds (${board.meta.episodes} per cell)`, 12, 22);
  ctx.font = `13px ${FONT}`;
  agents.forEach((agent, i) => {
    ctx.fillStyle = '#111111';
    ctx.textAlign = 'right';
    ctx.fillText(agent, left - 10, top + i * cellH + cellH / 2);
  });
  panels.forEach((panel, k) => {
    const x0 = left + k * (panelW + gap);
    ctx.fillStyle = '#111111';
    ctx.textAlign = 'left';
    ctx.font = `bold 14px ${FONT}`;
    ctx.fillText(panel.title, x0, 52);
    ctx.font = `12px ${FONT}`;
    scenarios.forEach((s, j) => {
      ctx.save();
      ctx.translate(x0 + j * cellW + cellW / 2 - 4, top - 8);
      ctx.rotate(-Math.PI / 4);
      ctx.fillText(s, 0, 0);
      ctx.restore();
    });
    agents.forEach((agent, i) => {
      scenarios.forEach((s, j) => {
        const regret = board.scenarios[s]?.agents[agent]?.regret;
        const x = x0 + j * cellW;
        const y = top + i * cellH;
        const v = regret ? panel.value(regret) : undefined;
        ctx.fillStyle = v === undefined || !Number.isFinite(v) ? '#dddddd' : panel.colour(v);
        ctx.fillRect(x, y, cellW - 2, cellH - 2);
        ctx.fillStyle = '#111111';
        ctx.textAlign = 'center';
        ctx.fillText(v === undefined || !Number.isFinite(v) ? 'n/a' : panel.format(v), x + cellW / 2, y + cellH / 2);
      });
    });
    // The colour bar: the scale's gradient with its ticks.
    const barW = Math.min(panelW, 360);
    for (let px = 0; px < barW; px++) {
      const t = px / (barW - 1);
      const lo = panel.ticks[0] as number;
      const hi = panel.ticks.at(-1) as number;
      // Invert `at` by bisection: the bar is drawn in the panel's own (log or linear) scale.
      let a = lo;
      let b = hi;
      for (let it = 0; it < 30; it++) {
        const m = (a + b) / 2;
        if (panel.at(m) < t) a = m;
        else b = m;
      }
      ctx.fillStyle = panel.colour((a + b) / 2);
      ctx.fillRect(x0 + px, barTop, 1, 14);
    }
    ctx.strokeStyle = '#555555';
    ctx.strokeRect(x0, barTop, barW, 14);
    ctx.fillStyle = '#111111';
    ctx.textAlign = 'center';
    for (const tick of panel.ticks) {
      const x = x0 + panel.at(tick) * (barW - 1);
      ctx.fillRect(x, barTop + 14, 1, 5);
      ctx.fillText(panel.format(tick), x, barTop + 30);
    }
  });
  return canvas.toBuffer('image/png');
}

export function plotRegretHeatmap(board: Scoreboard, outDir: string): string {
  return writePng(join(outDir, BENCHMARK_HEATMAP_FILE), renderRegretHeatmap(board));
}
