import { describe, expect, it } from 'vitest';
import type { FarmForecast, Hindsight } from '@autofarm/core';
import { HindsightPolicy } from './hindsight.js';
import { makeCtx, makeInfo, makeObservation } from './testing/index.js';

const makeContext = (over: Parameters<typeof makeCtx>[1]) => makeCtx(makeInfo({ workers: 12 }), over);

/** A toy farm: a task misses for every worker short of `need` during the first step; later steps have no needs. */
function toyHindsight(need: number, floor = 0): Hindsight & { counts: number[] } {
  const counts: number[] = [];
  return {
    counts,
    fork(): FarmForecast {
      let first: number | null = null;
      let t = 0;
      return {
        get time() {
          return t;
        },
        scale(workers) {
          if (first === null) {
            first = workers;
            counts.push(workers);
          }
          return workers;
        },
        advance(s) {
          t += s;
        },
        late: () => floor + Math.max(0, need - (first ?? 0)),
        workerSeconds: () => 0,
      };
    },
  };
}

describe('HindsightPolicy', () => {
  it('picks the fewest workers that miss no more than the most workers would', () => {
    const policy = new HindsightPolicy({ horizonSteps: 3 });
    const hindsight = toyHindsight(17, 2);
    const delta = policy.act(makeObservation({ workers: 12 }), makeContext({ maxDelta: 31, hindsight }));
    expect(12 + delta).toBe(17);
    // One forecast at the most workers, then a binary search over 1..32.
    expect(hindsight.counts[0]).toBe(32);
    expect(policy.forecasts).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(32)));
  });

  it('sheds workers down to the minimum when nothing would miss', () => {
    const policy = new HindsightPolicy({ horizonSteps: 3 });
    expect(12 + policy.act(makeObservation({ workers: 12 }), makeContext({ maxDelta: 31, hindsight: toyHindsight(0) }))).toBe(1);
  });

  it('stays within ±maxDelta under step actuation', () => {
    const policy = new HindsightPolicy({ horizonSteps: 3 });
    expect(policy.act(makeObservation({ workers: 12 }), makeContext({ maxDelta: 1, hindsight: toyHindsight(30) }))).toBe(1);
    expect(policy.act(makeObservation({ workers: 12 }), makeContext({ maxDelta: 1, hindsight: toyHindsight(0) }))).toBe(-1);
  });

  it("forecasts long enough to climb the whole range at the decision's limit", () => {
    const policy = new HindsightPolicy({ horizonSteps: 3 });
    expect(policy.horizon(makeContext({ maxDelta: 31 }))).toBe(3);
    expect(policy.horizon(makeContext({ maxDelta: 1 }))).toBe(33);
  });

  it('refuses to run without forecasts', () => {
    expect(() => new HindsightPolicy({ horizonSteps: 3 }).act(makeObservation({ workers: 12 }), makeContext({}))).toThrow(/ctx.hindsight/);
  });
});
