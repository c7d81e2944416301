import { describe, expect, it } from 'vitest';
import { createStatic, StaticPolicy } from './static.js';
import { makeConfig, makeCtx, makeInfo, makeObservation, settled } from './testing/index.js';

describe('StaticPolicy', () => {
  it('moves toward its count (by at most maxDelta once the driver limits it), then holds whatever the load', () => {
    const p = new StaticPolicy(14);
    const ctx = makeCtx(makeInfo());
    expect(settled(p.act(makeObservation({ workers: 12 }), ctx), 12, ctx)).toBe(1);
    expect(p.act(makeObservation({ workers: 13 }), ctx)).toBe(1);
    expect(p.act(makeObservation({ workers: 14, worker_q: 300, arrival_rate: 12 }), ctx)).toBe(0);
    expect(p.act(makeObservation({ workers: 20 }), makeCtx(makeInfo(), { maxDelta: 4 }))).toBe(-6);
  });

  it('defaults to scaling.initial_workers and honours baselines.static_workers', () => {
    expect(createStatic(makeConfig()).workers).toBe(12);
    expect(createStatic(makeConfig({ baselines: { static_workers: 20 } })).workers).toBe(20);
  });
});
