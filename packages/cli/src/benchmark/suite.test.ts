import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listScenarios, loadScenario, scenariosDirFor, type Config } from '@autofarm/core';
import { emptyRecord, type EpisodeRecord } from '@autofarm/env';
import { buildScoreboard, type ScenarioRecords } from '@autofarm/runs';
import { SHIPPED_CONFIG } from '../testing/index.js';
import { dayLength, splitFirstDay, suiteDir, suiteRows } from './suite.js';

const scenarios = scenariosDirFor(SHIPPED_CONFIG);
const recurringDir = suiteDir(scenarios, 'recurring');

/** Two 16 s days of 8 s steps: 10 tasks a step, `ws` worker-seconds a step, `met` met tasks by arrival step. */
function record(seed: number, ws: number, met: number[]): EpisodeRecord {
  const r = emptyRecord(seed, 4, {} as EpisodeRecord['summary']);
  r.times = [8, 16, 24, 32];
  r.worker_counts = [4, 4, 4, 4];
  for (const key of [
    'actions',
    'applied_actions',
    'qos_rates',
    'rewards',
    'queue_lengths',
    'avg_times',
    'max_times',
    'arrival_rates',
  ] as const)
    r[key] = [0, 0, 0, 0];
  r.enqueued_totals = [10, 20, 30, 40];
  r.worker_seconds_totals = [1, 2, 3, 4].map((k) => k * ws);
  r.met_by_arrival = met;
  r.summary = {
    ...r.summary,
    qos_rate: 0,
    worker_seconds: 4 * ws,
    tasks_unfinished: 0,
    terminated: true,
    truncated: false,
  } as EpisodeRecord['summary'];
  return r;
}

const twoDays = { workload: { phases: [{ duration: 16 }], repeat: { times: 2, level_jitter: 0, time_jitter: 0 } } } as unknown as Config;

describe('the recurring suite', () => {
  it('scores days 2 on, with day 1 apart, against hindsight on the same days', () => {
    const scenario: ScenarioRecords = {
      name: 'two-days',
      description: '',
      agents: [
        { name: 'Rule', yardstick: false, records: [record(1, 32, [5, 5, 10, 9])] },
        { name: 'Hindsight', yardstick: true, records: [record(1, 16, [10, 10, 10, 10])] },
      ],
    };
    const split = splitFirstDay([scenario], new Map([['two-days', twoDays]]));
    const rule = (s: ScenarioRecords[]) => s[0]!.agents[0]!.records[0]!.summary;
    expect(rule(split.first).qos_rate).toBeCloseTo(0.5, 12);
    expect(rule(split.rest).qos_rate).toBeCloseTo(0.95, 12);
    expect(rule(split.rest).worker_seconds).toBeCloseTo(64, 12);
    const opts = { seed: 1, actuation: 'native', backend: 'sim', resamples: 50 };
    const rows = suiteRows(buildScoreboard(split.rest, opts), buildScoreboard(split.first, opts));
    const r = rows.find((x) => x.agent === 'Rule')!;
    expect(r.qos).toBeCloseTo(0.95, 12);
    expect(r.day1_qos).toBeCloseTo(0.5, 12);
    expect(r.geo_ratio).toBeCloseTo(2, 12);
    expect(r.worst_scenario).toBe('two-days');
  });

  it('repeats every one-shot scenario but shuffled, for at least 5 days at level jitter >= 0.15 and time jitter >= 0.1', () => {
    const oneShot = listScenarios(scenarios);
    const recurring = listScenarios(recurringDir);
    expect(recurring).toEqual(oneShot.filter((n) => n !== 'shuffled'));
    for (const name of recurring) {
      const { config } = loadScenario(name, { base: SHIPPED_CONFIG, dir: recurringDir });
      const once = loadScenario(name, { base: SHIPPED_CONFIG }).config;
      const { repeat } = config.workload;
      expect(repeat.times, name).toBeGreaterThanOrEqual(5);
      expect(repeat.level_jitter, name).toBeGreaterThanOrEqual(0.15);
      expect(repeat.time_jitter, name).toBeGreaterThanOrEqual(0.1);
      const day = dayLength(config) as number;
      // the steps cover every day plus the one-shot scenario's drain
      expect(config.episode.max_steps * config.episode.step_duration, name).toBeGreaterThanOrEqual(repeat.times * day + 80);
      // the same day as the one-shot scenario (diurnal's two days become one day of one cycle)
      const { repeat: _r, ...rest } = config.workload;
      const { repeat: _o, ...restOnce } = once.workload;
      if (name === 'diurnal') expect(day).toBe(once.workload.phases[0]!.duration / 2);
      else expect(rest, name).toEqual(restOnce);
      expect({ ...config, workload: null, episode: null }, name).toEqual({ ...once, workload: null, episode: null });
    }
  });

  it('reads the recurring scenarios from scenarios/recurring', () => {
    expect(recurringDir).toBe(join(scenarios, 'recurring'));
    expect(dayLength(loadScenario('canonical', { base: SHIPPED_CONFIG }).config)).toBeNull();
  });
});
