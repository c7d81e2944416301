import { describe, expect, it } from 'vitest';
import { hpaBehaviorSchema } from '@autofarm/core';
import { averageValueReplicas, HpaBehaviour } from './hpa-behaviour.js';
import { scaleDownLimit, scaleUpLimit } from './hpa-scaling-rules.js';

const range = { minWorkers: 1, maxWorkers: 32 };
const defaults = hpaBehaviorSchema.parse({});

function loop(behavior = defaults): HpaBehaviour {
  return new HpaBehaviour({ syncPeriod: 15, tolerance: 0.1, behavior });
}

describe('HPA replica calculator', () => {
  it('keeps the count inside the tolerance and sizes ceil(total / target) outside it', () => {
    expect(averageValueReplicas(40, 4, 10, 0.1)).toBe(10); // ratio 1.0
    expect(averageValueReplicas(44, 4, 10, 0.1)).toBe(10); // ratio exactly 1.1: inside
    expect(averageValueReplicas(45, 4, 10, 0.1)).toBe(12); // ratio 1.125 -> ceil(11.25)
    expect(averageValueReplicas(6, 2, 10, 0.1)).toBe(3);
  });
});

describe('HpaBehaviour', () => {
  it('climbs 3 -> 7 -> 14 -> 20 for a desired 20, one sync apart (default scale-up policies)', () => {
    const hpa = loop();
    let replicas = 3;
    const seen = [replicas];
    for (const t of [0, 15, 30, 45]) {
      replicas = hpa.sync(t, 20, replicas, range);
      seen.push(replicas);
    }
    expect(seen).toEqual([3, 7, 14, 20, 20]);
  });

  it('holds a scale-down for the 300 s stabilization window, then drops at once', () => {
    const hpa = loop();
    expect(hpa.sync(0, 20, 20, range)).toBe(20);
    // The load is gone from t = 15: every recommendation is 2, but the 20 of t = 0 is inside (t − 300, t].
    for (let t = 15; t < 300; t += 15) expect(hpa.sync(t, 2, 20, range)).toBe(20);
    // t = 300: it left the window; Percent 100 per 15 s lets the count fall to 2 at once.
    expect(hpa.sync(300, 2, 20, range)).toBe(2);
  });

  it('never scales up on a stale recommendation: stabilization bounds a scale-down only', () => {
    const hpa = loop();
    hpa.sync(0, 20, 20, range);
    // Someone else set 10 replicas; the HPA now recommends 8: the window's 20 keeps it at 10, not 20.
    expect(hpa.sync(15, 8, 10, range)).toBe(10);
  });

  it('applies a custom behavior like a manifest: Pods 1 per 60 s up, selectPolicy Min', () => {
    const behavior = hpaBehaviorSchema.parse({
      scaleUp: {
        selectPolicy: 'Min',
        policies: [
          { type: 'Pods', value: 1, periodSeconds: 60 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    });
    const hpa = loop(behavior);
    expect(hpa.sync(0, 20, 3, range)).toBe(4);
    // 15 s later the +1 is still inside the 60 s period: no room left.
    expect(hpa.sync(15, 20, 4, range)).toBe(4);
    expect(hpa.sync(60, 20, 4, range)).toBe(5);
  });

  it('does nothing in a disabled direction', () => {
    const hpa = loop(hpaBehaviorSchema.parse({ scaleDown: { selectPolicy: 'Disabled' } }));
    expect(hpa.sync(0, 1, 12, range)).toBe(12);
  });

  it('syncs on the first decision and then once per sync period, and forgets everything on reset', () => {
    const hpa = loop();
    expect(hpa.due(0)).toBe(true);
    hpa.sync(0, 20, 20, range);
    expect(hpa.due(8)).toBe(false);
    expect(hpa.due(15)).toBe(true);
    hpa.reset();
    expect(hpa.due(8)).toBe(true);
    // A fresh HPA has no window: it drops at once.
    expect(hpa.sync(8, 2, 20, range)).toBe(2);
  });

  it('clamps to the worker range', () => {
    expect(loop().sync(0, 50, 30, range)).toBe(32);
    expect(loop().sync(0, 0, 5, range)).toBe(1);
  });
});

describe('HPA scaling rules', () => {
  it('measure a policy from the replicas at the start of its period', () => {
    const up = defaults.scaleUp;
    // 7 replicas after a +4 event 10 s ago: the period started at 3 -> max(6, 7) = 7, no room.
    expect(scaleUpLimit(7, [{ time: 0, change: 4 }], 10, up)).toBe(7);
    // Without the event: max(ceil(7 × 2), 7 + 4) = 14.
    expect(scaleUpLimit(7, [], 10, up)).toBe(14);
    // Scale-down Percent 100: down to 0 (the range clamps later); Pods 2 per 15 s: at most 2 fewer.
    expect(scaleDownLimit(12, [], 0, defaults.scaleDown)).toBe(0);
    const pods = hpaBehaviorSchema.parse({ scaleDown: { policies: [{ type: 'Pods', value: 2, periodSeconds: 15 }] } }).scaleDown;
    expect(scaleDownLimit(12, [{ time: 5, change: -2 }], 10, pods)).toBe(12);
  });
});
