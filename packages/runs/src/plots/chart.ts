/**
 * The one plotting helper: a chart described as data (title, axis labels, series of points,
 * optional bands and error bars) rendered by chart.js 4 on @napi-rs/canvas to a PNG.
 * Every figure in this folder is a few ChartSpecs passed to `renderChart` or `renderPanels`.
 *
 * Invariants: white background; a series label has the same colour in every panel of one
 * figure (first-seen order through a fixed palette, or the series' own `color`); non-finite
 * y values are gaps, never zeros; rendering is deterministic (no animation, dpr 1).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type ChartDataset, type Plugin } from 'chart.js';
import { PALETTE, type ChartSpec, type PanelsSpec, type Range, type Series } from './chart-spec.js';

export { PALETTE, type ChartSpec, type Guide, type Marker, type PanelsSpec, type Point, type Range, type Series } from './chart-spec.js';

const DEFAULT_WIDTH = 720;
const DEFAULT_HEIGHT = 400;
const FONT_FAMILY = "'DejaVu Sans', sans-serif";
const FIGURE_TITLE_HEIGHT = 44;

let registered = false;
function ensureRegistered(): void {
  if (registered) return;
  Chart.register(...registerables);
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#222222';
  registered = true;
}

/** Label -> colour in first-seen order (a series' own `color` wins and uses no palette slot). */
export function assignColours(specs: readonly ChartSpec[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const spec of specs) {
    for (const s of spec.series) {
      const key = s.colorKey ?? s.label;
      if (colours.has(key)) continue;
      if (s.color !== undefined && s.colorKey === undefined) colours.set(key, s.color);
      else colours.set(key, PALETTE[colours.size % PALETTE.length] as string);
    }
  }
  return colours;
}

/** `#rrggbb` + alpha -> rgba(); other CSS colours are returned unchanged. */
export function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return colour;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h as string, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

type XY = { x: number; y: number | null };
const gapless = (y: number): number | null => (Number.isFinite(y) ? y : null);

function xExtent(spec: ChartSpec): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of spec.series) {
    for (const p of [...s.points, ...(s.band ?? []), ...(s.errorBars ?? [])]) {
      if (Number.isFinite(p.x)) {
        lo = Math.min(lo, p.x);
        hi = Math.max(hi, p.x);
      }
    }
  }
  if (lo > hi) return [spec.xMin ?? 0, spec.xMax ?? 1];
  return [spec.xMin ?? lo, spec.xMax ?? hi];
}

type LineDataset = ChartDataset<'line', XY[]>;

/** Error bars as one gapped line: each bar is a vertical stroke plus two caps. */
function errorBarPoints(bars: readonly Range[], cap: number): XY[] {
  const out: XY[] = [];
  for (const b of bars) {
    if (!Number.isFinite(b.lo) || !Number.isFinite(b.hi)) continue;
    out.push({ x: b.x, y: b.lo }, { x: b.x, y: b.hi }, { x: b.x, y: null });
    out.push({ x: b.x - cap, y: b.lo }, { x: b.x + cap, y: b.lo }, { x: b.x, y: null });
    out.push({ x: b.x - cap, y: b.hi }, { x: b.x + cap, y: b.hi }, { x: b.x, y: null });
  }
  return out;
}

/** Markers made of strokes (✕, ✱) need thicker lines to be seen; big ones thicker still. */
function markerLineWidth(s: Series): number {
  const stroked = s.marker === 'cross' || s.marker === 'crossRot' || s.marker === 'star';
  if (!stroked) return 1;
  return (s.markerSize ?? 4) >= 10 ? 3.5 : 2;
}

function datasetsOf(spec: ChartSpec, colours: Map<string, string>): LineDataset[] {
  const [x0, x1] = xExtent(spec);
  const cap = (x1 - x0) * 0.006;
  const bands: LineDataset[] = [];
  const mains: LineDataset[] = [];
  const bars: LineDataset[] = [];
  for (const s of spec.series) {
    const colour = s.color ?? colours.get(s.colorKey ?? s.label) ?? (PALETTE[0] as string);
    const opacity = s.opacity ?? 1;
    if (s.band && s.band.length > 0) {
      const lo = bands.length;
      const common = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, spanGaps: false, label: `${s.label} (band)` };
      bands.push({ ...common, data: s.band.map((b) => ({ x: b.x, y: gapless(b.lo) })), fill: false, borderColor: 'transparent' });
      bands.push({
        ...common,
        data: s.band.map((b) => ({ x: b.x, y: gapless(b.hi) })),
        fill: lo,
        backgroundColor: withAlpha(colour, 0.16),
        borderColor: 'transparent',
      });
    }
    const data = s.points.map((p) => ({ x: p.x, y: gapless(p.y) }));
    const label = s.legend === false ? `${s.label} (hidden)` : s.label;
    if (s.kind === 'scatter') {
      mains.push({
        // clip: a marker on a hard axis limit (QoS at 100 %) is drawn whole, not halved.
        label,
        data,
        showLine: false,
        pointStyle: s.marker ?? 'circle',
        pointRadius: s.markerSize ?? 4,
        clip: (s.markerSize ?? 4) + 4,
        borderColor: withAlpha(colour, opacity),
        backgroundColor: withAlpha(colour, 0.55 * opacity),
        borderWidth: markerLineWidth(s),
      });
    } else {
      mains.push({
        label,
        data,
        spanGaps: false,
        fill: false,
        tension: 0,
        pointRadius: 0,
        pointHitRadius: 0,
        pointStyle: 'line',
        borderColor: withAlpha(colour, opacity),
        backgroundColor: withAlpha(colour, opacity),
        borderWidth: s.lineWidth ?? 2,
        borderDash: s.kind === 'dashed' ? [7, 5] : [],
      });
    }
    if (s.errorBars && s.errorBars.length > 0) {
      bars.push({
        label: `${s.label} (error bars)`,
        data: errorBarPoints(s.errorBars, cap),
        spanGaps: false,
        clip: 8,
        pointRadius: 0,
        borderWidth: 1.5,
        borderColor: colour,
        fill: false,
      });
    }
  }
  for (const g of spec.guides ?? []) {
    const colour = g.color ?? '#555555';
    mains.push({
      label: g.label,
      data: [
        { x: x0, y: g.y },
        { x: x1, y: g.y },
      ],
      pointRadius: 0,
      pointStyle: 'line',
      borderWidth: 1.5,
      borderDash: [4, 4],
      borderColor: colour,
      backgroundColor: colour,
      fill: false,
    });
  }
  // Bands first so every line and marker is drawn over every band.
  return [...bands, ...mains, ...bars];
}

const whiteBackground: Plugin<'line'> = {
  id: 'autofarmWhiteBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

const isHiddenLabel = (text: string) => / \((band|hidden|error bars)\)$/.test(text);

function configOf(spec: ChartSpec, colours: Map<string, string>): ChartConfiguration<'line', XY[]> {
  const axisTitle = (text: string) => ({ display: true, text, font: { size: 14 } });
  return {
    type: 'line',
    data: { datasets: datasetsOf(spec, colours) },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      parsing: false,
      layout: { padding: { left: 6, right: 14, top: 4, bottom: 4 } },
      scales: {
        x: { type: 'linear', min: spec.xMin, max: spec.xMax, title: axisTitle(spec.xLabel), grid: { color: '#e6e6e6' } },
        y: { type: 'linear', min: spec.yMin, max: spec.yMax, title: axisTitle(spec.yLabel), grid: { color: '#e6e6e6' } },
      },
      plugins: {
        title: { display: Boolean(spec.title), text: spec.title ?? '', font: { size: 15, weight: 'bold' }, padding: { top: 6, bottom: 4 } },
        legend: {
          display: spec.legend !== false,
          position: 'top',
          labels: { usePointStyle: true, boxWidth: 28, boxHeight: 8, padding: 12, filter: (item) => !isHiddenLabel(item.text) },
        },
        tooltip: { enabled: false },
      },
    },
    plugins: [whiteBackground],
  };
}

/** Draws `spec` on a fresh canvas, lets `use` read it, then frees the chart. */
function withChart<T>(spec: ChartSpec, colours: Map<string, string>, use: (canvas: Canvas) => T): T {
  ensureRegistered();
  const canvas = createCanvas(spec.width ?? DEFAULT_WIDTH, spec.height ?? DEFAULT_HEIGHT);
  const ctx: SKRSContext2D = canvas.getContext('2d');
  // chart.js's types expect a DOM context; @napi-rs/canvas's implements the part it uses.
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], configOf(spec, colours));
  try {
    return use(canvas);
  } finally {
    chart.destroy();
  }
}

/** One chart as a PNG. */
export function renderChart(spec: ChartSpec): Buffer {
  return withChart(spec, assignColours([spec]), (canvas) => canvas.toBuffer('image/png'));
}

interface LegendEntry {
  label: string;
  colour: string;
  kind: 'line' | 'scatter' | 'dashed';
}

/** Visible legend entries of all panels, first-seen order, one per label. */
function legendEntries(panels: readonly ChartSpec[], colours: Map<string, string>): LegendEntry[] {
  const seen = new Map<string, LegendEntry>();
  for (const panel of panels) {
    for (const s of panel.series) {
      if (s.legend === false || seen.has(s.label)) continue;
      seen.set(s.label, {
        label: s.label,
        colour: s.color ?? colours.get(s.colorKey ?? s.label) ?? (PALETTE[0] as string),
        kind: s.kind ?? 'line',
      });
    }
    for (const g of panel.guides ?? []) {
      if (!seen.has(g.label)) seen.set(g.label, { label: g.label, colour: g.color ?? '#555555', kind: 'dashed' });
    }
  }
  return [...seen.values()];
}

const LEGEND_ROW = 26;
const LEGEND_SWATCH = 28;
const LEGEND_GAP = 22;

/** Lays the entries out in centred rows of at most `width` px; returns the rows. */
function legendRows(ctx: SKRSContext2D, entries: readonly LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [[]];
  let used = 0;
  for (const e of entries) {
    const w = LEGEND_SWATCH + 6 + ctx.measureText(e.label).width + LEGEND_GAP;
    const row = rows[rows.length - 1] as LegendEntry[];
    if (row.length > 0 && used + w > width) {
      rows.push([e]);
      used = w;
    } else {
      row.push(e);
      used += w;
    }
  }
  return rows.filter((r) => r.length > 0);
}

function drawLegend(ctx: SKRSContext2D, rows: readonly LegendEntry[][], top: number, width: number): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  rows.forEach((row, r) => {
    const widths = row.map((e) => LEGEND_SWATCH + 6 + ctx.measureText(e.label).width + LEGEND_GAP);
    let x = (width - widths.reduce((a, b) => a + b, 0) + LEGEND_GAP) / 2;
    const y = top + r * LEGEND_ROW + LEGEND_ROW / 2;
    row.forEach((e, i) => {
      ctx.strokeStyle = e.colour;
      ctx.fillStyle = e.colour;
      if (e.kind === 'scatter') {
        ctx.beginPath();
        ctx.arc(x + LEGEND_SWATCH / 2, y, 5, 0, 2 * Math.PI);
        ctx.fill();
      } else {
        ctx.lineWidth = 3;
        ctx.setLineDash(e.kind === 'dashed' ? [6, 4] : []);
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + LEGEND_SWATCH, y);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.fillStyle = '#222222';
      ctx.fillText(e.label, x + LEGEND_SWATCH + 6, y);
      x += widths[i] as number;
    });
  });
}

/** Several charts in a grid, one PNG, a label's colour the same in every panel. */
export function renderPanels(spec: PanelsSpec): Buffer {
  ensureRegistered();
  const shared = spec.legend === 'shared';
  const panels = shared ? spec.panels.map((p) => ({ ...p, legend: false })) : spec.panels;
  const columns = Math.max(1, Math.min(spec.columns ?? 2, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const cellW = Math.max(...panels.map((p) => p.width ?? DEFAULT_WIDTH));
  const cellH = Math.max(...panels.map((p) => p.height ?? DEFAULT_HEIGHT));
  const width = columns * cellW;
  const colours = assignColours(spec.panels);
  // Measuring text needs a context before the figure's height is known.
  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = `14px ${FONT_FAMILY}`;
  const legend = shared ? legendRows(measure, legendEntries(spec.panels, colours), width - 40) : [];
  const titleH = spec.title ? FIGURE_TITLE_HEIGHT : 0;
  const legendH = legend.length > 0 ? legend.length * LEGEND_ROW + 8 : 0;
  const figure = createCanvas(width, titleH + legendH + rows * cellH);
  const ctx = figure.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, figure.width, figure.height);
  if (spec.title) {
    ctx.fillStyle = '#111111';
    ctx.font = `bold 20px ${FONT_FAMILY}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(spec.title, width / 2, titleH / 2 + 2);
  }
  if (legend.length > 0) {
    ctx.font = `14px ${FONT_FAMILY}`;
    drawLegend(ctx, legend, titleH, width);
  }
  panels.forEach((panel, i) => {
    const x = (i % columns) * cellW;
    const y = titleH + legendH + Math.floor(i / columns) * cellH;
    withChart(panel, colours, (canvas) => ctx.drawImage(canvas, x, y));
  });
  return figure.toBuffer('image/png');
}

/** Writes a PNG, creating its folder; returns the path. */
export function writePng(path: string, png: Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return path;
}
