/**
 * One episode at a glance (test-sarsa, test-dqn, test-reactive-baselines): the original's 3 x 2
 * panels — reward, QoS with the 90 % / 80 % guides, workers, worker queue, latency, arrival rate.
 */
import type { EpisodeRecord } from '@autofarm/env';
import { renderPanels, writePng, type ChartSpec, type Point } from './chart.js';

const PANEL_WIDTH = 640;
const PANEL_HEIGHT = 340;

export function episodePanels(record: EpisodeRecord): ChartSpec[] {
  const s = record.summary;
  // x is the episode's time in seconds at the end of each step (8, 16, ... at 8 s steps).
  const steps = (ys: readonly number[], scale = 1): Point[] => ys.map((y, i) => ({ x: record.times[i] ?? i + 1, y: y * scale }));
  const size = { width: PANEL_WIDTH, height: PANEL_HEIGHT, xLabel: 'time [s]' };
  return [
    {
      ...size,
      title: `Reward per step (total ${s.total_reward.toFixed(2)})`,
      yLabel: 'reward',
      series: [{ label: 'reward', points: steps(record.rewards) }],
      legend: false,
    },
    {
      ...size,
      title: `Window QoS (episode QoS ${(s.qos_rate * 100).toFixed(1)} %)`,
      yLabel: 'QoS [%]',
      yMax: 100,
      series: [{ label: 'window QoS', points: steps(record.qos_rates, 100) }],
      guides: [
        { y: 90, label: '90 %', color: '#2ca02c' },
        { y: 80, label: '80 %', color: '#d62728' },
      ],
    },
    {
      ...size,
      title: `Workers (mean ${s.mean_workers.toFixed(2)}, max ${s.max_workers})`,
      yLabel: 'workers',
      yMin: 0,
      series: [{ label: 'workers', points: steps(record.worker_counts) }],
      legend: false,
    },
    {
      ...size,
      title: 'Worker-queue length',
      yLabel: 'tasks waiting',
      yMin: 0,
      series: [{ label: 'worker queue', points: steps(record.queue_lengths) }],
      legend: false,
    },
    {
      ...size,
      title: 'Processing time in the window',
      yLabel: 'seconds',
      yMin: 0,
      series: [
        { label: 'average', points: steps(record.avg_times) },
        { label: 'maximum', points: steps(record.max_times) },
      ],
    },
    {
      ...size,
      title: 'Arrival rate',
      yLabel: 'tasks / s',
      yMin: 0,
      series: [{ label: 'arrival rate', points: steps(record.arrival_rates) }],
      legend: false,
    },
  ];
}

/** Writes one episode's 3 x 2 figure to `outPath` (a .png path) and returns it. */
export function plotEpisode(record: EpisodeRecord, outPath: string, options: { title?: string } = {}): string {
  const title = options.title ?? `Episode with seed ${record.seed}: ${record.steps} steps`;
  return writePng(outPath, renderPanels({ title, columns: 2, panels: episodePanels(record) }));
}
