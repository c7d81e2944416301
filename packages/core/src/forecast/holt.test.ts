import { describe, expect, it } from 'vitest';
import { Holt } from './holt.js';

describe('Holt', () => {
  it('starts at the first sample with no trend', () => {
    const h = new Holt(0.5, 0.3);
    expect(h.forecast()).toBeNull();
    h.update(4);
    expect(h.forecast(0)).toBe(4);
    expect(h.forecast(3)).toBe(4);
  });

  it('learns a linear ramp and forecasts along it', () => {
    const h = new Holt(0.5, 0.3);
    for (let i = 0; i < 60; i++) h.update(2 + 0.5 * i);
    // Last sample 31.5; one sample ahead 32, four ahead 33.5.
    expect(h.forecast(0)).toBeCloseTo(31.5, 3);
    expect(h.forecast(1)).toBeCloseTo(32, 3);
    expect(h.forecast(4)).toBeCloseTo(33.5, 3);
  });

  it('smooths one outlier instead of jumping to it', () => {
    const h = new Holt(0.5, 0.3);
    for (let i = 0; i < 10; i++) h.update(5);
    h.update(15);
    expect(h.forecast(0)).toBeCloseTo(10, 12);
  });

  it('forgets everything on reset', () => {
    const h = new Holt(0.5, 0.3);
    h.update(3);
    h.reset();
    expect(h.forecast()).toBeNull();
  });
});
