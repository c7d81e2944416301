import { describe, expect, it } from 'vitest';
import { component, stepToward } from './common.js';
import { makeObservation, settled } from './testing/index.js';

const limits = { minWorkers: 1, maxWorkers: 32, maxDelta: 1 };

describe('stepToward', () => {
  it('answers the whole, unbounded gap to the rounded target', () => {
    expect(stepToward(12, 4.4)).toBe(-8);
    expect(stepToward(32, 40)).toBe(8);
  });

  it('holds at the target and returns +0, never -0', () => {
    expect(Object.is(stepToward(12, 12), 0)).toBe(true);
    expect(Object.is(stepToward(12, 11.6), 0)).toBe(true);
  });

  it('is bounded downstream: the driver limits it to ±maxDelta, the actuator clamps the count to the range', () => {
    expect(settled(stepToward(12, 4), 12, limits)).toBe(-1);
    expect(settled(stepToward(10, 12), 10, { ...limits, maxDelta: 3 })).toBe(2);
    expect(settled(stepToward(1, 0), 1, limits)).toBe(0);
    expect(settled(stepToward(32, 40), 32, { ...limits, maxDelta: 31 })).toBe(0);
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
