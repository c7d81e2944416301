import { describe, expect, it } from 'vitest';
import { createRng, deadlineMissProbability, gamma, ModelFileError } from '@autofarm/core';
import { DRAIN_SECONDS, gammaServiceProfile, modelActions, ReserveActions, ReserveSizer, SIZING_QOS } from './actions.js';

const sizing = { serviceShape: 4, deadlineCoefficient: 2 };
const bounds = { minWorkers: 1, maxWorkers: 1000 };
const actions = new ReserveActions([0, 0.5, 1], 0.03, sizing);
const load = (rate: number, queue = 0, service = 1.5) => ({ rate, queue, service });

describe('ReserveActions', () => {
  it('sizes for the fewest workers whose predicted miss probability is at most 0.1 %', () => {
    const { base } = actions.sizes(0, load(7.5), bounds);
    const profile = gammaServiceProfile(1.5, sizing);
    expect(deadlineMissProbability(base, 7.5, profile)).toBeLessThanOrEqual(1 - SIZING_QOS);
    expect(deadlineMissProbability(base - 1, 7.5, profile)).toBeGreaterThan(1 - SIZING_QOS);
    expect(base).toBeGreaterThan(7.5 * 1.5);
  });

  it('keeps a share g of the range above the sized count in reserve: 0.5 halves the gap to max_workers, 1 fills it', () => {
    const small = { minWorkers: 1, maxWorkers: 40 };
    const sized = actions.sizes(0, load(5), small).base;
    expect(actions.sizes(1, load(5), small).base).toBe(sized + Math.ceil(0.5 * (40 - sized)));
    expect(actions.sizes(2, load(5), small).base).toBe(40);
    // near the top of the range the same share reserves fewer workers
    const high = actions.sizes(0, load(18), small).base;
    expect(actions.sizes(1, load(18), small).base - high).toBeLessThan(actions.sizes(1, load(5), small).base - sized);
  });

  it('needs relatively fewer spare workers on a larger farm (square-root staffing)', () => {
    const spare = (rate: number) => actions.sizes(0, load(rate), bounds).base / (rate * 1.5) - 1;
    expect(spare(50)).toBeLessThan(spare(5) / 2);
  });

  it('adds the workers that drain the queue within DRAIN_SECONDS', () => {
    const { base, total } = actions.sizes(0, load(5, 40), bounds);
    expect(total).toBe(actions.sizes(0, load(5 + 40 / DRAIN_SECONDS), bounds).base);
    expect(total).toBeGreaterThan(base);
  });

  it('rejects reserves that are not shares in [0, 1]', () => {
    expect(() => new ReserveActions([0, -0.5], 0.03, sizing)).toThrow(/action_reserves.*-0.5/);
    expect(() => new ReserveActions([0, 1.5], 0.03, sizing)).toThrow(/action_reserves.*1.5/);
    expect(() => new ReserveActions([0, 'hold' as never], 0.03, sizing)).toThrow(/"hold"/);
  });

  it('rejects reserves out of order, so a greedy tie (the middle index) is the median reserve', () => {
    expect(() => new ReserveActions([0.2, 0, 0.5], 0.03, sizing)).toThrow(/strictly increasing.*\[0.2, 0, 0.5\]/);
    expect(() => new ReserveActions([0, 0.5, 0.5], 0.03, sizing)).toThrow(/strictly increasing/);
    expect(new ReserveActions([0, 0.5], 0.03, sizing).n).toBe(2); // an even count is fine
  });
});

describe('gammaServiceProfile', () => {
  it('matches the slack transform of sampled Gamma(4) task times with deadlines at 2x (20 000 samples, within 2 %)', () => {
    const rng = createRng(9).stream('gamma');
    const theta = 1.2;
    const samples = Array.from({ length: 20_000 }, () => gamma(rng, 4, 1.5 / 4));
    const empirical = samples.reduce((s, x) => s + Math.exp(-theta * x), 0) / samples.length;
    expect(Math.abs(gammaServiceProfile(1.5, sizing).slackLaplace(theta) / empirical - 1)).toBeLessThan(0.02);
  });
});

describe('ReserveSizer', () => {
  it('holds the count while nothing has been measured', () => {
    expect(new ReserveSizer(actions).delta(0, 12, null, bounds)).toBe(0);
  });

  it('scales up at once, then sheds at most 3 % of its held count per decision, in batches of at least 10 % of the workers', () => {
    const s = new ReserveSizer(actions);
    const start = 10 + s.delta(0, 10, load(20), bounds);
    expect(start).toBe(actions.sizes(0, load(20), bounds).base);
    let workers = start;
    let held = start;
    const batches: number[] = [];
    for (let i = 0; i < 30; i++) {
      held -= Math.max(1, Math.floor(0.03 * held));
      const d = s.delta(0, workers, load(1), bounds);
      if (d !== 0) {
        expect(-d).toBeGreaterThanOrEqual(Math.max(1, Math.floor(0.1 * workers)));
        batches.push(-d);
      }
      workers += d;
      expect(workers).toBeGreaterThanOrEqual(held);
    }
    expect(batches.length).toBeGreaterThan(1);
    expect(workers).toBeLessThan(start * 0.6);
  });

  it('lets the workers added for a queue go as soon as the queue is drained', () => {
    const s = new ReserveSizer(actions);
    const base = actions.sizes(0, load(20), bounds).base;
    const withQueue = 10 + s.delta(0, 10, load(20, 200), bounds);
    expect(withQueue).toBeGreaterThan(base + 10);
    expect(withQueue + s.delta(0, withQueue, load(20), bounds)).toBe(base);
  });

  it("names the count a first decision would move to, without batching and without touching the sizer's state", () => {
    const s = new ReserveSizer(actions);
    expect(s.target(0, 12, null, bounds)).toBe(12);
    // up at once to the sized count with its reserve
    expect(s.target(2, 10, load(20), bounds)).toBe(actions.sizes(2, load(20), bounds).total);
    // down by the 3 % limit (at least one worker), where a decision waits for a batch of 4
    expect(s.target(0, 40, load(1), bounds)).toBe(39);
    // the targets asked above (one of them at 20 tasks/s) left no held count behind
    const fresh = new ReserveSizer(actions);
    for (const workers of [40, 40, 39, 38]) expect(s.delta(0, workers, load(1), bounds)).toBe(fresh.delta(0, workers, load(1), bounds));
  });

  it('forgets its held count on reset', () => {
    const s = new ReserveSizer(actions);
    s.delta(0, 10, load(20), bounds);
    s.reset();
    expect(s.delta(0, 10, load(1), bounds)).toBe(-1); // 3 % of 10 rounds down to the one-worker minimum
  });
});

describe('modelActions (the action fields of a model file)', () => {
  const fields = {
    action_reserves: [0.1, 0.3, 0.6],
    scale_down_limit: 0.03,
    sizing: { service_shape: 4, deadline_coefficient: 2 },
    cadence: 2,
  };

  it('rebuilds the actions and the cadence a model was trained with', () => {
    const { actions: a, cadence } = modelActions(fields, 'm.json');
    expect(a.reserves).toEqual([0.1, 0.3, 0.6]);
    expect(a.sizing).toEqual({ serviceShape: 4, deadlineCoefficient: 2 });
    expect(cadence).toBe(2);
  });

  it('names the file and the field when one is missing or out of range', () => {
    expect(() => modelActions({ ...fields, sizing: undefined }, 'm.json')).toThrow(ModelFileError);
    expect(() => modelActions({ ...fields, sizing: undefined }, 'm.json')).toThrow(/^m\.json: sizing must hold/);
    expect(() => modelActions({ ...fields, cadence: 0 }, 'm.json')).toThrow(/^m\.json: cadence must be a positive number/);
    expect(() => modelActions({ ...fields, action_reserves: [0.1, 2] }, 'm.json')).toThrow(/^m\.json: general\.action_reserves: .*2/);
  });
});
