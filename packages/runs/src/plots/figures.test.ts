/** Every figure writes a valid, non-blank PNG of the size its layout implies. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticEvaluation, syntheticRecord, syntheticTraining } from '../testing/synthetic.js';
import { buildScoreboard } from '../scoreboard.js';
import { agentStyles, plotBenchmarkScatter, plotRegretHeatmap } from './benchmark.js';
import { plotCalibration } from './calibration.js';
import { comparisonPanels, plotComparison, plotQosVsWorkers, qosVsWorkersChart, SHARED_SERIES_LABEL } from './comparison.js';
import { episodePanels, plotEpisode } from './episode.js';
import { inspectPng } from './inspect.js';
import { plotTrainingCurves, trainingPanels } from './training.js';

const out = mkdtempSync(join(tmpdir(), 'runs-plots-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const agents = {
  reactiveaverage: [1, 2, 3].map((s) => syntheticRecord(s, { slack: 0 })),
  hpa: [4, 5, 6].map((s) => syntheticRecord(s, { slack: 1, steps: 28 })),
  oracle: [7, 8, 9].map((s) => syntheticRecord(s, { slack: 2 })),
};

function expectReadable(path: string, width: number, height: number) {
  const info = inspectPng(readFileSync(path));
  expect(info.width).toBe(width);
  expect(info.height).toBe(height);
  expect(info.distinctColours).toBeGreaterThan(50);
  expect(info.inkFraction).toBeGreaterThan(0.03);
}

describe('comparison figures', () => {
  it('plotComparison writes comparison_plots.png: 2 x 2 panels with one shared legend row', () => {
    const path = plotComparison(agents, out);
    expect(path).toBe(join(out, 'comparison_plots.png'));
    expectReadable(path, 1440, 44 + 26 + 8 + 800);
  });

  it('puts every agent on the workers, QoS, backlog and arrival-rate panels, QoS in percent', () => {
    const panels = comparisonPanels(agents);
    expect(panels.map((p) => p.title)).toEqual(['Workers', 'Window QoS', 'Worker-queue backlog', 'Arrival rate']);
    for (const p of panels) expect(p.series.map((s) => s.label)).toEqual(['reactiveaverage', 'hpa', 'oracle']);
    const qos = panels[1]!.series[0]!;
    expect(qos.points[0]!.y).toBeCloseTo((agents.reactiveaverage.reduce((a, r) => a + r.qos_rates[0]!, 0) / 3) * 100, 10);
    expect(qos.band).toHaveLength(30);
  });

  it('draws one grey line where every agent saw identical values', () => {
    const same = { a: [syntheticRecord(1, { slack: 0 })], b: [syntheticRecord(1, { slack: 3 })] };
    const [workers, , , arrivals] = comparisonPanels(same);
    expect(workers!.series.map((s) => s.label)).toEqual(['a', 'b']);
    expect(arrivals!.series.map((s) => s.label)).toEqual([SHARED_SERIES_LABEL]);
    expect(arrivals!.series[0]!.band).toBeUndefined();
  });

  it('plotQosVsWorkers writes qos_vs_workers.png with a mean marker per agent and the oracle in black', () => {
    expectReadable(plotQosVsWorkers(agents, out), 1000, 620);
    const chart = qosVsWorkersChart(agents);
    const means = chart.series.filter((s) => s.label.endsWith(' mean'));
    expect(means.map((s) => s.points.length)).toEqual([1, 1, 1]);
    const oracle = chart.series.filter((s) => s.label.startsWith('oracle'));
    expect(oracle.every((s) => s.color === '#000000' && s.marker === 'star')).toBe(true);
    expect(chart.yMax).toBeLessThanOrEqual(100);
  });
});

describe('plotEpisode', () => {
  it('puts seconds on the x axis of the per-step panels, as the comparison figure does', () => {
    const record = agents.hpa[0]!;
    for (const panel of [...episodePanels(record), ...comparisonPanels(agents)]) {
      expect(panel.xLabel).toBe('time [s]');
      expect(panel.series[0]!.points.slice(0, 3).map((p) => p.x)).toEqual(record.times.slice(0, 3));
    }
    expect(record.times.slice(0, 3)).toEqual([8, 16, 24]);
  });

  it('writes the 3 x 2 episode figure, creating the folder', () => {
    const path = plotEpisode(agents.hpa[0]!, join(out, 'plots', 'episode_01.png'));
    expectReadable(path, 1280, 44 + 3 * 340);
  });
});

describe('plotTrainingCurves', () => {
  it('draws reward, QoS, epsilon and workers, plus loss when the episodes carry it', () => {
    const training = syntheticTraining(1, 120, { loss: true });
    const path = plotTrainingCurves(training, syntheticEvaluation(training, 20), join(out, 'training_curves.png'));
    expectReadable(path, 1520, 44 + 3 * 360);
    expect(trainingPanels(syntheticTraining(1, 10)).map((p) => p.title)).toEqual([
      'Total reward',
      'Final QoS',
      'Exploration rate',
      'Mean workers',
    ]);
  });

  it('overlays evaluations as markers with ± std error bars and smooths with the original window', () => {
    const training = syntheticTraining(2, 60);
    const panels = trainingPanels(training, syntheticEvaluation(training, 20));
    const reward = panels[0]!;
    expect(reward.series.map((s) => s.label)).toEqual(['per episode', 'moving average (6)', 'evaluation mean ± std']);
    const evaluation = reward.series[2]!;
    expect(evaluation.points.map((p) => p.x)).toEqual([20, 40, 60]);
    expect(evaluation.errorBars![0]!.hi - evaluation.errorBars![0]!.lo).toBeCloseTo(3, 10);
    const qos = panels[1]!;
    expect(qos.yMax).toBe(100);
  });

  it('draws one episode without a moving average', () => {
    expectReadable(plotTrainingCurves(syntheticTraining(3, 1), undefined, join(out, 'one.png')), 1520, 44 + 2 * 360);
  });
});

describe('plotCalibration', () => {
  it('writes measured means with error bars and the fitted curve', () => {
    const path = plotCalibration(
      {
        sizes: [512, 1024, 2048, 4096],
        means: [0.04257, 0.17017, 0.73749, 2.86648],
        stds: [0.002, 0.008, 0.02, 0.06],
        a: 1.70990132e-7,
        b: 1.66548e-3,
        r2: 0.99990395,
      },
      join(out, 'calibration.png'),
    );
    expectReadable(path, 900, 560);
  });
});

describe('benchmark figures', () => {
  const names = ['Static', 'HPA', 'KPA', 'KEDA', 'OpenFaaS', 'Queueing', 'Holt', 'ReactiveAverage', 'ReactiveMaximum', 'SARSA (general)'];
  const board = buildScoreboard(
    ['canonical', 'spike-flash'].map((scenario) => ({
      name: scenario,
      description: scenario,
      agents: [
        ...names.map((name, i) => ({ name, yardstick: false, records: [1, 2].map((s) => syntheticRecord(s, { slack: i % 3 })) })),
        { name: 'Oracle', yardstick: true, records: [1, 2].map((s) => syntheticRecord(s, { slack: 1 })) },
        { name: 'Hindsight', yardstick: true, records: [1, 2].map((s) => syntheticRecord(s, { slack: 2 })) },
      ],
    })),
    { seed: 1, actuation: 'native', backend: 'sim', resamples: 50 },
  );

  it('gives every agent its own colour and marker, and no agent the colour of a yardstick', () => {
    const styles = agentStyles(board);
    expect(styles.size).toBe(12);
    const colours = [...styles.values()].map((s) => s.color);
    expect(new Set(colours).size).toBe(12);
    expect(styles.get('Oracle')).toEqual({ color: '#393b79', marker: 'star' });
    expect(styles.get('SARSA (general)')!.color).not.toBe('#393b79');
    expect(new Set(names.map((n) => styles.get(n)!.marker)).size).toBeGreaterThan(4);
  });

  it('draws the regret heat map as two panels (worker-seconds ratio, QoS gap) with colour bars', () => {
    const path = plotRegretHeatmap(board, out);
    const info = inspectPng(readFileSync(path));
    expect(info.width).toBe(760); // two panels of 2 scenarios: 170 + 2 x (2 x 76 + 40) = 554, at least 760
    expect(info.height).toBe(170 + 34 * 11 + 24 + 70);
    expect(info.distinctColours).toBeGreaterThan(50);
    const scatter = inspectPng(readFileSync(plotBenchmarkScatter(board, out)));
    expect(scatter.distinctColours).toBeGreaterThan(50);
  });
});
