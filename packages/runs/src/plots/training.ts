/**
 * Training curves (train-sarsa, train-dqn, plot-training): one panel per quantity against the
 * episode number — total reward and final QoS (raw, faint, plus a centred moving average),
 * epsilon, mean workers, and the DQN's loss when present — with the checkpoint evaluations as
 * markers with ± std error bars.
 */
import type { EvaluationCheckpoint, TrainingEpisode } from '../training-metrics.js';
import { renderPanels, writePng, type ChartSpec, type Range, type Series } from './chart.js';
import { movingAverage, movingAverageWindow, niceRange, robustRange, type RangeOptions } from './series-stats.js';

const PANEL_WIDTH = 760;
const PANEL_HEIGHT = 360;
const EVAL_COLOUR = '#d62728';

interface Curve {
  title: string;
  yLabel: string;
  value: (e: TrainingEpisode) => number | undefined;
  /** The matching evaluation mean and std, if checkpoints report it. */
  evaluation?: (c: EvaluationCheckpoint) => { mean: number; std: number };
  smooth: boolean;
  /** Hard axis limits and values always shown, e.g. QoS in 0..100 % and showing 100. */
  range?: RangeOptions;
}

const CURVES: readonly Curve[] = [
  {
    title: 'Total reward',
    yLabel: 'reward',
    value: (e) => e.total_reward,
    evaluation: (c) => ({ mean: c.mean_total_reward, std: c.std_total_reward }),
    smooth: true,
  },
  {
    title: 'Final QoS',
    yLabel: 'QoS [%]',
    value: (e) => e.final_qos * 100,
    evaluation: (c) => ({ mean: c.mean_final_qos * 100, std: c.std_final_qos * 100 }),
    smooth: true,
    range: { min: 0, max: 100, include: [100] },
  },
  { title: 'Exploration rate', yLabel: 'epsilon', value: (e) => e.epsilon, smooth: false, range: { min: 0, max: 1, include: [0] } },
  {
    title: 'Mean workers',
    yLabel: 'workers',
    value: (e) => e.mean_workers,
    evaluation: (c) => ({ mean: c.mean_mean_workers, std: c.std_mean_workers }),
    smooth: true,
    range: { min: 0 },
  },
  { title: 'Mean TD loss', yLabel: 'loss', value: (e) => e.mean_loss, smooth: true, range: { min: 0, include: [0] } },
];

function curvePanel(curve: Curve, training: readonly TrainingEpisode[], evaluation: readonly EvaluationCheckpoint[]): ChartSpec {
  const raw = training.map((e) => ({ x: e.episode, y: curve.value(e) ?? Number.NaN }));
  const window = curve.smooth ? movingAverageWindow(raw.length) : 0;
  const series: Series[] = [];
  if (window > 0) {
    series.push({ label: 'per episode', points: raw, lineWidth: 1, opacity: 0.35, colorKey: 'training' });
    const smooth = movingAverage(
      raw.map((p) => p.y),
      window,
    );
    series.push({
      label: `moving average (${window})`,
      points: raw.map((p, i) => ({ x: p.x, y: smooth[i] ?? Number.NaN })),
      lineWidth: 2.5,
      colorKey: 'training',
    });
  } else {
    series.push({ label: 'per episode', points: raw, lineWidth: 2, colorKey: 'training' });
  }
  const bars: Range[] = [];
  const evaluate = curve.evaluation;
  if (evaluate && evaluation.length > 0) {
    const points = evaluation.map((c) => ({ x: c.episode, ...evaluate(c) }));
    points.forEach((p) => bars.push({ x: p.x, lo: p.mean - p.std, hi: p.mean + p.std }));
    series.push({
      label: 'evaluation mean ± std',
      points: points.map((p) => ({ x: p.x, y: p.mean })),
      kind: 'scatter',
      marker: 'rectRot',
      markerSize: 6,
      color: EVAL_COLOUR,
      errorBars: bars,
    });
  }
  const values = [...raw.map((p) => p.y), ...bars.flatMap((b) => [b.lo, b.hi])];
  const range = robustRange(values, curve.range);
  // Round x limits with room for the last evaluation's marker: 200 episodes -> 0..225.
  // A loop, not Math.max(...xs): a 300 000-episode run overflows the call stack with spread arguments.
  const x = niceRange(0, raw.reduce((m, p) => Math.max(m, p.x), 1) * 1.02, 10);
  return {
    title: curve.title,
    xLabel: 'episode',
    yLabel: curve.yLabel,
    series,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    xMin: x.min,
    xMax: x.max,
    yMin: range?.min,
    yMax: range?.max,
  };
}

/** The panels: the loss panel only when some episode reports a loss. */
export function trainingPanels(training: readonly TrainingEpisode[], evaluation: readonly EvaluationCheckpoint[] = []): ChartSpec[] {
  const hasLoss = training.some((e) => e.mean_loss !== undefined && Number.isFinite(e.mean_loss));
  return CURVES.filter((c) => c.title !== 'Mean TD loss' || hasLoss).map((c) => curvePanel(c, training, evaluation));
}

/** Writes the training-curves figure to `outPath` (a .png path) and returns it. */
export function plotTrainingCurves(
  training: readonly TrainingEpisode[],
  evaluation: readonly EvaluationCheckpoint[] | undefined,
  outPath: string,
  options: { title?: string } = {},
): string {
  const title = options.title ?? `Training curves: ${training.length} episode(s)`;
  return writePng(outPath, renderPanels({ title, columns: 2, panels: trainingPanels(training, evaluation ?? []) }));
}
