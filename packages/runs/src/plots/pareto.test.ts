import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScoreboard, type ScenarioRecords } from '../scoreboard.js';
import { syntheticRecord } from '../testing/synthetic.js';
import { BENCHMARK_PARETO_FILE, plotPareto } from './pareto.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const rows = (slack: number) => Array.from({ length: 3 }, (_, i) => syntheticRecord(i + 1, { slack }));
const scenario: ScenarioRecords = {
  name: 'calm',
  description: 'calm',
  agents: [
    { name: 'KPA', yardstick: false, records: rows(0) },
    { name: 'KPA-tuned', yardstick: false, records: rows(2) },
    { name: 'SARSA', yardstick: false, records: rows(1) },
    { name: 'Hindsight', yardstick: true, records: rows(1) },
  ],
};

describe('plotPareto', () => {
  it('draws a panel per scenario with or without sweep curves', () => {
    const board = buildScoreboard([scenario], { seed: 1, actuation: 'native', backend: 'sim', resamples: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-pareto-'));
    const plain = plotPareto(board, dir);
    expect(plain).toBe(join(dir, BENCHMARK_PARETO_FILE));
    expect(readFileSync(plain).subarray(0, 4)).toEqual(PNG);
    const first = readFileSync(plain);
    board.sweeps = {
      calm: {
        kpa: [0.5, 0.7, 0.9].map((t, i) => ({
          values: { target_utilization: t },
          qos: 0.9 + 0.03 * i,
          worker_seconds: 1000,
          ws_ratio: 1.2 + i,
        })),
      },
    };
    const swept = readFileSync(plotPareto(board, dir));
    expect(swept.subarray(0, 4)).toEqual(PNG);
    expect(swept.equals(first)).toBe(false); // the sweep adds a curve
  });
});
