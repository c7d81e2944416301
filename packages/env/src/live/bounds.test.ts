import { describe, expect, it } from 'vitest';
import { boundDesired, RemovalWindow, type BoundsInput } from './bounds.js';

const base: BoundsInput = { current: 10, delta: 0, busy: 0, minWorkers: 1, maxWorkers: 32, removedRecently: 0, scaleDownPerMinute: 16 };

describe('boundDesired', () => {
  it('applies the delta when no bound is hit', () => {
    expect(boundDesired({ ...base, delta: 3 })).toEqual({ desired: 13, bound: null });
    expect(boundDesired({ ...base, delta: -2, busy: 4 })).toEqual({ desired: 8, bound: null });
  });

  it('clamps to the range', () => {
    expect(boundDesired({ ...base, delta: 40 })).toEqual({ desired: 32, bound: 'max' });
    expect(boundDesired({ ...base, current: 3, delta: -9 })).toEqual({ desired: 1, bound: 'min' });
  });

  it('never goes below the workers busy now', () => {
    expect(boundDesired({ ...base, delta: -8, busy: 6 })).toEqual({ desired: 6, bound: 'busy' });
  });

  it('caps the workers removed per minute, counting the ones already removed', () => {
    expect(boundDesired({ ...base, current: 30, delta: -25, scaleDownPerMinute: 16 })).toEqual({ desired: 14, bound: 'scale-down-cap' });
    // the worked example of the doc comment
    expect(boundDesired({ ...base, delta: -8, busy: 4, removedRecently: 14 })).toEqual({ desired: 8, bound: 'scale-down-cap' });
    expect(boundDesired({ ...base, delta: -3, removedRecently: 16 })).toEqual({ desired: 10, bound: 'scale-down-cap' });
  });

  it('does not cap or floor a scale-up', () => {
    expect(boundDesired({ ...base, delta: 5, busy: 10, removedRecently: 16 })).toEqual({ desired: 15, bound: null });
  });

  it('rounds fractional answers', () => {
    expect(boundDesired({ ...base, delta: 1.6 }).desired).toBe(12);
  });
});

describe('RemovalWindow', () => {
  it('counts removals within the last 60 s only', () => {
    const w = new RemovalWindow(60);
    w.record(0, 4);
    w.record(30, 2);
    expect(w.total(59)).toBe(6);
    expect(w.total(61)).toBe(2);
    expect(w.total(91)).toBe(0);
  });
});
