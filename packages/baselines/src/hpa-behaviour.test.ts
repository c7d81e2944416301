import { describe, expect, it } from 'vitest';
import { averageValueReplicas, HpaBehaviour } from './hpa-behaviour.js';

const bounds = { minWorkers: 1, maxWorkers: 32 };

describe('averageValueReplicas (the HPA replica calculator)', () => {
  it('keeps the current count while the usage ratio is within the 10 % tolerance', () => {
    // 40 tasks on 10 replicas at target 4: ratio 1.0 (the kubernetes#116984 example).
    expect(averageValueReplicas(40, 4, 10, 0.1)).toBe(10);
    expect(averageValueReplicas(44, 4, 10, 0.1)).toBe(10); // ratio 1.1: still inside
    expect(averageValueReplicas(36, 4, 10, 0.1)).toBe(10); // ratio 0.9: still inside
  });

  it('jumps to ceil(total / target) outside the tolerance', () => {
    expect(averageValueReplicas(45, 4, 10, 0.1)).toBe(12);
    expect(averageValueReplicas(20, 4, 10, 0.1)).toBe(5);
    expect(averageValueReplicas(0, 4, 10, 0.1)).toBe(0);
  });

  it('is not pushed up a replica by float noise (6 / 2 is 3)', () => {
    expect(averageValueReplicas(6, 2, 1, 0.1)).toBe(3);
    expect(averageValueReplicas(2.1, 0.7, 1, 0.1)).toBe(3);
  });
});

describe('HpaBehaviour', () => {
  it('syncs on the first decision and then once per sync period', () => {
    const hpa = new HpaBehaviour({ syncPeriod: 15, tolerance: 0.1, downscaleStabilization: 300 });
    expect(hpa.due(0)).toBe(true);
    hpa.sync(0, 5, bounds);
    expect(hpa.due(8)).toBe(false);
    expect(hpa.due(15)).toBe(true);
    expect(hpa.due(16)).toBe(true);
  });

  it('stabilization keeps the maximum recommendation of the window', () => {
    const hpa = new HpaBehaviour({ syncPeriod: 15, tolerance: 0.1, downscaleStabilization: 60 });
    expect(hpa.sync(0, 10, bounds)).toBe(10);
    expect(hpa.sync(16, 4, bounds)).toBe(10);
    expect(hpa.sync(32, 6, bounds)).toBe(10);
    // 10 was recommended at t = 0, which leaves the 60 s window at t = 61: the max is now 6.
    expect(hpa.sync(64, 3, bounds)).toBe(6);
    expect(hpa.sync(96, 3, bounds)).toBe(3);
  });

  it('scales up at once: a higher recommendation wins immediately', () => {
    const hpa = new HpaBehaviour({ syncPeriod: 15, tolerance: 0.1, downscaleStabilization: 300 });
    hpa.sync(0, 4, bounds);
    expect(hpa.sync(16, 9, bounds)).toBe(9);
  });

  it('clamps to the worker range and forgets everything on reset', () => {
    const hpa = new HpaBehaviour({ syncPeriod: 15, tolerance: 0.1, downscaleStabilization: 300 });
    expect(hpa.sync(0, 0, bounds)).toBe(1);
    expect(hpa.sync(16, 50, bounds)).toBe(32);
    hpa.reset();
    expect(hpa.current).toBeNull();
    expect(hpa.sync(0, 2, bounds)).toBe(2);
  });
});
