import { describe, expect, it } from 'vitest';
import { constantSchedule, exponentialDecay, linearDecay, stepsToFloor } from './schedules.js';

describe('exponentialDecay', () => {
  const eps = exponentialDecay({ start: 0.4, end: 0.1, decay: 0.995 });

  it('starts at the start value', () => {
    expect(eps(0)).toBe(0.4);
  });

  it('matches the original epsilon after 100 episodes (0.4 * 0.995^100)', () => {
    expect(eps(100)).toBeCloseTo(0.24235, 4);
  });

  it('agrees with the original repeated max(min, eps * decay) update', () => {
    let e = 0.4;
    for (let t = 1; t <= 400; t++) {
      e = Math.max(0.1, e * 0.995);
      expect(eps(t)).toBeCloseTo(e, 12);
    }
  });

  it('never goes below the floor', () => {
    expect(eps(10_000)).toBe(0.1);
  });

  it('is constant when decay is 1', () => {
    const flat = exponentialDecay({ start: 0.3, end: 0.05, decay: 1 });
    expect(flat(0)).toBe(0.3);
    expect(flat(500)).toBe(0.3);
  });

  it('rejects a decay outside (0, 1]', () => {
    expect(() => exponentialDecay({ start: 1, end: 0, decay: 0 })).toThrow(RangeError);
    expect(() => exponentialDecay({ start: 1, end: 0, decay: 1.5 })).toThrow(RangeError);
  });

  it('treats a negative counter as t = 0', () => {
    expect(eps(-5)).toBe(0.4);
  });
});

describe('linearDecay', () => {
  const lin = linearDecay({ start: 1, end: 0.05, duration: 100 });

  it('interpolates linearly and stays at the end value after the duration', () => {
    expect(lin(0)).toBe(1);
    expect(lin(50)).toBeCloseTo(0.525, 12);
    expect(lin(100)).toBeCloseTo(0.05, 12);
    expect(lin(1000)).toBeCloseTo(0.05, 12);
  });

  it('is the end value at once when the duration is zero', () => {
    expect(linearDecay({ start: 1, end: 0.2, duration: 0 })(0)).toBe(0.2);
  });
});

describe('constantSchedule and stepsToFloor', () => {
  it('returns the same value for every counter', () => {
    const c = constantSchedule(0.7);
    expect([c(0), c(1), c(99)]).toEqual([0.7, 0.7, 0.7]);
  });

  it('counts the episodes before the floor is reached (0.4 -> 0.1 at 0.995 takes 277)', () => {
    expect(stepsToFloor({ start: 0.4, end: 0.1, decay: 0.995 })).toBe(277);
    expect(stepsToFloor({ start: 0.1, end: 0.1, decay: 0.9 })).toBe(0);
    expect(stepsToFloor({ start: 0.5, end: 0.1, decay: 1 })).toBe(Infinity);
  });
});
