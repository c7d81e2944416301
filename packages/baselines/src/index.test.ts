import { UsageError } from '@autofarm/core';
import { describe, expect, it } from 'vitest';
import { BASELINE_DESCRIPTIONS, BASELINE_NAMES, baselineName, createBaseline } from './index.js';
import { makeConfig, makeCtx, makeInfo, makeSchedule, observationOf } from './testing/index.js';

const config = makeConfig();

describe('createBaseline', () => {
  it('creates every baseline by name, each answering a delta within ±maxDelta', () => {
    const schedule = makeSchedule([[240, 5]]);
    const hindsight = {
      fork: () => ({ time: 8, scale: (w: number) => w, advance: () => undefined, late: () => 0, workerSeconds: () => 0 }),
    };
    for (const name of BASELINE_NAMES) {
      const policy = createBaseline(name, config, { replayActions: [1] });
      policy.reset();
      const info = makeInfo({ step: 1, time: 8, workers: 12, queueLength: 40, metrics: { busyWorkers: 12 } });
      const action = policy.act(observationOf(info, { arrival_rate: 6, avg_time: 2, max_time: 3 }), makeCtx(info, { schedule, hindsight }));
      expect(Number.isInteger(action), name).toBe(true);
      expect(Math.abs(action), name).toBeLessThanOrEqual(1);
      expect(BASELINE_DESCRIPTIONS[name], name).toBeTruthy();
    }
  });

  it('uses the display names of the tables and plots', () => {
    const names = BASELINE_NAMES.map((n) => createBaseline(n, config, { replayActions: [] }).name);
    expect(names).toEqual([
      'ReactiveAverage',
      'ReactiveMaximum',
      'Static',
      'HPA',
      'KEDA',
      'KPA',
      'OpenFaaS',
      'Queueing',
      'Reserve',
      'Oracle',
      'Hindsight',
      'Replay',
    ]);
  });

  it("accepts the original's aliases, ignoring case, spaces, '-' and '_'", () => {
    expect(baselineName('ReactiveAvg')).toBe('reactiveaverage');
    expect(baselineName('reactive-max')).toBe('reactivemaximum');
    expect(baselineName('Reactive_Maximum_Policy')).toBe('reactivemaximum');
    expect(baselineName('HPA')).toBe('hpa');
    expect(baselineName('sarsa')).toBeNull();
    expect(createBaseline('reactiveavg', config).name).toBe('ReactiveAverage');
  });

  it('rejects an unknown name with a UsageError that lists the valid ones', () => {
    expect(() => createBaseline('autopilot', config)).toThrow(UsageError);
    expect(() => createBaseline('autopilot', config)).toThrow(
      'unknown baseline "autopilot"; valid names: ' +
        'reactiveaverage, reactivemaximum, static, hpa, keda, kpa, openfaas, queueing, reserve, oracle, hindsight, replay',
    );
  });

  it('asks for a replay file when replay has no actions', () => {
    expect(() => createBaseline('replay', config)).toThrow(/--replay-file/);
  });

  it('marks only the oracle as clairvoyant', () => {
    const clairvoyant = BASELINE_NAMES.filter((n) => createBaseline(n, config, { replayActions: [] }).clairvoyant === true);
    expect(clairvoyant).toEqual(['oracle']);
  });

  it('gives forecasts of the realized future to hindsight only', () => {
    const hindsight = BASELINE_NAMES.filter((n) => createBaseline(n, config, { replayActions: [] }).hindsight === true);
    expect(hindsight).toEqual(['hindsight']);
  });
});
