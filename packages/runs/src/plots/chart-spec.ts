/** What a chart or a panel figure shows: the value objects the renderers in chart.ts draw. */

export interface Point {
  x: number;
  y: number;
}

/** A vertical extent at x: the shaded band's edges, or an error bar's ends. */
export interface Range {
  x: number;
  lo: number;
  hi: number;
}

/** chart.js point styles that read well at a glance. */
export type Marker = 'circle' | 'cross' | 'crossRot' | 'star' | 'triangle' | 'rect' | 'rectRot';

export interface Series {
  label: string;
  points: readonly Point[];
  /** `line` (default), `dashed`, or `scatter` (markers only). */
  kind?: 'line' | 'scatter' | 'dashed';
  /** Shaded area between lo and hi, drawn under every line, in the series' colour. */
  band?: readonly Range[];
  /** Vertical bars with caps at each x, in the series' colour. */
  errorBars?: readonly Range[];
  /** Fixed colour (CSS); otherwise taken from the palette by `colorKey ?? label`. */
  color?: string;
  /** Borrow another label's palette colour, e.g. an agent's mean marker uses the agent's colour. */
  colorKey?: string;
  /** Scatter marker (default circle) and its radius in px (default 4). */
  marker?: Marker;
  markerSize?: number;
  /** Line width in px (default 2). */
  lineWidth?: number;
  /** 0..1; lower for a raw curve drawn under its moving average. Default 1. */
  opacity?: number;
  /** Show in the legend (default true). */
  legend?: boolean;
}

/** A horizontal reference line across the plot, e.g. the 90 % QoS target. */
export interface Guide {
  y: number;
  label: string;
  color?: string;
}

export interface ChartSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  guides?: readonly Guide[];
  /** Pixels; default 720 x 400. */
  width?: number;
  height?: number;
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  /** Default true. */
  legend?: boolean;
}

export interface PanelsSpec {
  /** Drawn above the grid; omitted when empty. */
  title?: string;
  /** Panels per row; default 2. */
  columns?: number;
  /** Each panel's own width/height apply; default 720 x 400. */
  panels: readonly ChartSpec[];
  /**
   * `each` (default): every panel has its own legend. `shared`: one legend under the figure
   * title and none in the panels — for figures whose panels all show the same series.
   */
  legend?: 'each' | 'shared';
}

/** matplotlib's tab10 then five darker extras: distinct and familiar from papers. */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
];
