import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpisodeRecord } from '@autofarm/env';
import { createRunDir } from './run-dir.js';
import {
  beatenBy,
  buildScoreboard,
  dominators,
  readScoreboard,
  scoreboardMarkdown,
  writeScoreboard,
  type ScenarioRecords,
} from './scoreboard.js';
import { syntheticRecord } from './testing/synthetic.js';

/** Records on seeds 1..n with chosen QoS and worker-seconds (the rest from the synthetic episode). */
function records(n: number, qos: number, ws: number): EpisodeRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const r = syntheticRecord(i + 1);
    return { ...r, summary: { ...r.summary, qos_rate: qos + 0.001 * (i % 3), worker_seconds: ws + 10 * i } };
  });
}

function scenario(name: string, agents: Array<[string, number, number, boolean?]>): ScenarioRecords {
  return {
    name,
    description: `${name} workload`,
    agents: agents.map(([a, q, w, y]) => ({ name: a, yardstick: y ?? false, records: records(6, q, w) })),
  };
}

const input = [
  scenario('calm', [
    ['Cheap', 0.9, 2000],
    ['Safe', 0.99, 3000],
    ['Hindsight', 0.999, 2500, true],
  ]),
  scenario('storm', [
    ['Cheap', 0.6, 2100],
    ['Safe', 0.97, 3500],
    ['Hindsight', 0.999, 2600, true],
  ]),
];

describe('buildScoreboard', () => {
  const board = buildScoreboard(input, { seed: 42, actuation: 'native', backend: 'sim', resamples: 300 });

  it("keeps aggregated_results.json's summary and every record per agent", () => {
    const safe = board.scenarios.calm!.agents.Safe!;
    expect(safe.records).toHaveLength(6);
    expect(safe.summary.qos_rate.mean).toBeCloseTo(0.991, 9);
    expect(Object.keys(safe.summary)).toEqual(Object.keys(input[0]!.agents[0]!.records[0]!.summary));
  });

  it('measures regret against hindsight on the same seeds: worker-seconds ratio and QoS gap', () => {
    const safe = board.scenarios.storm!.agents.Safe!;
    expect(safe.regret!.worker_seconds_ratio.estimate).toBeCloseTo(3525 / 2625, 9);
    expect(safe.regret!.qos_gap.estimate).toBeCloseTo(100 * (0.999 - 0.97), 9);
    expect(safe.regret!.worker_seconds_ratio.lo).toBeLessThanOrEqual(safe.regret!.worker_seconds_ratio.estimate);
    expect(board.scenarios.storm!.agents.Hindsight!.regret!.worker_seconds_ratio).toEqual({ estimate: 1, lo: 1, hi: 1 });
  });

  it('lists who beats an agent on both QoS and worker-seconds, and the cost ratio in the ranking', () => {
    const both = buildScoreboard(
      [
        scenario('calm', [
          ['Lean', 0.9, 3000],
          ['Better', 0.95, 2500],
          ['Hindsight', 0.999, 2500, true],
        ]),
      ],
      {
        seed: 1,
        actuation: 'native',
        backend: 'sim',
        resamples: 50,
      },
    );
    expect(beatenBy(both, 'calm', 'Lean')).toEqual(['Better']);
    expect(beatenBy(both, 'calm', 'Better')).toEqual([]);
    expect(both.ranking.find((r) => r.agent === 'Lean')?.geo_mean_cost_ratio).toBeCloseTo(
      both.scenarios.calm!.agents.Lean!.field!.cost_ratio!,
      12,
    );
    expect(scoreboardMarkdown(both)).toMatch(/\| Lean \|.*\| Better \|$/m);
  });

  it('ranks deployable agents by QoS, then worker-seconds, leaving yardsticks out', () => {
    expect(board.ranking.map((r) => r.agent)).toEqual(['Safe', 'Cheap']);
    expect(board.ranking[0]!.mean_rank).toBe(1);
  });

  it('is the same for the same records and seed, whatever order the work finished in', () => {
    expect(JSON.stringify(buildScoreboard(input, { seed: 42, actuation: 'native', backend: 'sim', resamples: 300 }))).toBe(
      JSON.stringify(board),
    );
  });

  it('flags an agent that matches or beats the yardstick on both QoS and worker-seconds', () => {
    expect(dominators(board)).toEqual([]);
    expect(scoreboardMarkdown(board)).toContain('Hindsight is undominated on every scenario');
    const bad = buildScoreboard(
      [
        scenario('calm', [
          ['Better', 0.999, 2400],
          ['Hindsight', 0.999, 2500, true],
        ]),
      ],
      { seed: 1, actuation: 'native', backend: 'sim', resamples: 100 },
    );
    expect(dominators(bad)).toEqual([{ scenario: 'calm', agent: 'Better' }]);
    expect(scoreboardMarkdown(bad)).toContain('WARNING: Hindsight is dominated');
  });

  it('round-trips through scoreboard.json', () => {
    const dir = createRunDir({ prefix: 'bench', out: mkdtempSync(join(tmpdir(), 'autofarm-board-')) });
    writeScoreboard(dir, board);
    dir.close();
    const back = readScoreboard(dir.path);
    expect(scoreboardMarkdown(back)).toBe(scoreboardMarkdown(board));
  });
});
