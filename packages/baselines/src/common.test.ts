import { describe, expect, it } from 'vitest';
import { component, stepToward } from './common.js';
import { makeObservation } from './testing/index.js';

const limits = { minWorkers: 1, maxWorkers: 32, maxDelta: 1 };

describe('stepToward', () => {
  it('moves one worker toward a far target when maxDelta is 1', () => {
    expect(stepToward(12, 4, limits)).toBe(-1);
    expect(stepToward(4, 12, limits)).toBe(1);
  });

  it('moves the whole way when the gap fits in maxDelta', () => {
    expect(stepToward(10, 12, { ...limits, maxDelta: 3 })).toBe(2);
  });

  it('holds at the target and returns +0, never -0', () => {
    expect(Object.is(stepToward(12, 12, limits), 0)).toBe(true);
  });

  it('clamps the target into [minWorkers, maxWorkers]', () => {
    expect(stepToward(1, 0, limits)).toBe(0);
    expect(stepToward(32, 40, limits)).toBe(0);
  });
});

describe('component', () => {
  it('reads observation components by name', () => {
    const o = makeObservation({ worker_q: 7, arrival_rate: 2.5 });
    expect(component(o, 'worker_q')).toBe(7);
    expect(component(o, 'arrival_rate')).toBe(2.5);
    expect(component(o, 'workers')).toBe(12);
  });
});
