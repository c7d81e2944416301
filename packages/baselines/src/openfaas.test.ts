import { describe, expect, it } from 'vitest';
import { createOpenFaas, OpenFaasPolicy } from './openfaas.js';
import { makeConfig, makeCtx, makeInfo, observationOf, settled } from './testing/index.js';

function decide(p: OpenFaasPolicy, workers: number, queue: number, busy: number, maxDelta = 31): number {
  const info = makeInfo({ workers, queueLength: queue, metrics: { busyWorkers: busy } });
  const ctx = makeCtx(info, { maxDelta });
  return settled(p.act(observationOf(info), ctx), workers, ctx);
}

describe('OpenFaasPolicy (queue-based mode)', () => {
  it('sets ceil((queued + in flight) / (target × proportion)) workers at once', () => {
    const p = new OpenFaasPolicy({ target: 1, targetProportion: 1, interval: 5 });
    expect(decide(p, 9, 14, 9)).toBe(14); // 23 workers
    expect(decide(p, 23, 0, 5)).toBe(-18); // 5 workers: no scale-down window by default
    // target 5 at 90 %: 27 / 4.5 = 6 exactly.
    expect(decide(new OpenFaasPolicy({ target: 5, targetProportion: 0.9, interval: 5 }), 2, 20, 7)).toBe(4);
  });

  it('stays in the worker range and obeys a step limit', () => {
    const p = new OpenFaasPolicy({ target: 1, targetProportion: 1, interval: 5 });
    expect(decide(p, 20, 100, 20)).toBe(12); // 120 -> max 32
    expect(decide(p, 3, 0, 0)).toBe(-2); // 0 -> min 1
    expect(decide(p, 3, 50, 3, 1)).toBe(1);
  });

  it('decides every `interval` seconds, from baselines.openfaas', () => {
    const p = createOpenFaas(makeConfig({ baselines: { openfaas: { target: 2, interval: 10 } } }));
    expect(p.cadence).toBe(10);
    expect(p.options).toEqual({ target: 2, targetProportion: 1, interval: 10 });
  });
});
