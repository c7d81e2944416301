import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config, type Policy } from '@autofarm/core';
import { startClock, type ProgramClock } from '@autofarm/farm';
import { startTestFarm, until, type TestFarm } from '@autofarm/farm/testing';
import { runAutoscaler, type AutoscalerOptions, type DecisionRecord } from './controller.js';
import { AutoscaleMetrics } from './metrics.js';
import type { ScaleTarget } from './scale-target.js';

/** A target that keeps its count in memory: the controller's side alone, against a real Redis. */
function memoryTarget(clock: ProgramClock, workers: number) {
  const t = {
    where: 'memory',
    workers,
    applied: [] as number[],
    clock: async () => clock,
    status: async () => ({ workers: t.workers, ready: t.workers }),
    apply: async (n: number) => {
      t.workers = n;
      t.applied.push(n);
      return n;
    },
  } satisfies ScaleTarget & Record<string, unknown>;
  return t;
}

const constant = (name: string, delta: number | (() => number), cadence = 2): Policy => ({
  name,
  cadence,
  reset() {},
  act: () => (typeof delta === 'number' ? delta : delta()),
});

let farm: TestFarm;
let config: Config;
beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});
beforeEach(async () => {
  await farm.redis.flushdb();
  config = parseConfig({ ...farm.config, autoscale: { stale_after: 1000 } });
});

function options(target: ScaleTarget, policy: Policy | null, extra: Partial<AutoscalerOptions> = {}) {
  const records: DecisionRecord[] = [];
  const metrics = new AutoscaleMetrics();
  const o: AutoscalerOptions = {
    config,
    policy,
    policyName: policy?.name ?? 'broken',
    fallback: constant('fallback', 0),
    conn: farm.redis,
    target,
    metrics,
    log: (r) => records.push(r),
    ...extra,
  };
  return { o, records, metrics };
}

describe('live controller', () => {
  it("decides at the policy's cadence, applies the bounded count and logs one JSON record per decision", async () => {
    const target = memoryTarget(startClock(10), 3);
    await farm.redis.set(farm.names.enqueuedTotal, 5);
    const { o, records } = options(target, constant('up', 2));
    const summary = await runAutoscaler({ ...o, maxDecisions: 4 });
    expect(summary).toMatchObject({ decisions: 4, fallbackDecisions: 0, lastDesired: 11 });
    expect(target.applied).toEqual([5, 7, 9, 11]);
    expect(records.map((r) => [r.reason, r.active, r.output, r.current, r.desired, r.applied])).toEqual([
      ['policy', 'up', 2, 3, 5, 5],
      ['policy', 'up', 2, 5, 7, 7],
      ['policy', 'up', 2, 7, 9, 9],
      ['policy', 'up', 2, 9, 11, 11],
    ]);
    // on the farm's clock, in order (how far apart depends on the machine: not asserted)
    for (let i = 1; i < records.length; i++) expect(records[i]!.t).toBeGreaterThan(records[i - 1]!.t);
    expect(JSON.parse(JSON.stringify(records[0]))).toMatchObject({ inputs: { enqueued: 5, workers: 3 }, dry_run: false, fallback: false });
  });

  it('asks a slow policy at its own cadence and feeds the faster fallback in the shadow in between', async () => {
    const target = memoryTarget(startClock(10), 3);
    await farm.redis.set(farm.names.enqueuedTotal, 5);
    const calls = { primary: 0, fallback: 0 };
    const slow: Policy = { name: 'slow', cadence: 8, reset() {}, act: () => (calls.primary++, 0) };
    const fast: Policy = { name: 'fast', cadence: 2, reset() {}, act: () => (calls.fallback++, 1) };
    const { o, records } = options(target, slow, { fallback: fast });
    await runAutoscaler({ ...o, maxDecisions: 3 });
    expect(records.map((r) => r.active)).toEqual(['slow', 'slow', 'slow']);
    expect(calls.primary).toBe(3);
    expect(calls.fallback).toBeGreaterThan(calls.primary);
    expect(target.applied).toEqual([]); // the shadow's answers are never applied
  });

  it('never scales below the workers busy now, and a dry run decides without applying', async () => {
    const target = memoryTarget(startClock(10), 6);
    for (const id of ['w1', 'w2', 'w3', 'w4']) {
      await farm.redis.sadd(farm.names.workerRegistry, id);
      await farm.redis.lpush(farm.names.processing(id), 'task');
    }
    const { o, records } = options(target, constant('down', -5));
    await runAutoscaler({ ...o, maxDecisions: 1 });
    expect(records[0]).toMatchObject({ desired: 4, bound: 'busy', applied: 4, inputs: { busy: 4 } });
    const dry = options(target, constant('down', -5), { dryRun: true });
    await runAutoscaler({ ...dry.o, maxDecisions: 2 });
    expect(dry.records.map((r) => [r.desired, r.applied, r.dry_run])).toEqual([
      [4, null, true],
      [4, null, true],
    ]);
    expect(target.workers).toBe(4);
  });

  it('lets the fallback decide when the policy throws, answers a non-number, or was never built', async () => {
    let calls = 0;
    const flaky = constant('flaky', () => {
      calls++;
      if (calls === 1) throw new Error('model exploded');
      if (calls === 2) return Number.NaN;
      return 1;
    });
    const target = memoryTarget(startClock(10), 4);
    const { o, records, metrics } = options(target, flaky, { fallback: constant('fallback', -1) });
    await runAutoscaler({ ...o, maxDecisions: 3 });
    expect(records.map((r) => [r.reason, r.active, r.fallback, r.desired])).toEqual([
      ['fallback:error', 'fallback', true, 3],
      ['fallback:invalid', 'fallback', true, 2],
      ['policy', 'flaky', false, 3],
    ]);
    expect(records[0]!.error).toContain('model exploded');
    expect(await metrics.registry.getSingleMetricAsString('autofarm_autoscale_decisions_total')).toContain(
      'autofarm_autoscale_decisions_total{reason="fallback:error",bound="none"} 1',
    );
    const none = options(target, null, { policyError: 'model.json: not JSON' });
    await runAutoscaler({ ...none.o, maxDecisions: 1 });
    expect(none.records[0]).toMatchObject({ reason: 'fallback:no-policy', fallback: true, error: 'model.json: not JSON' });
  });

  it('switches to the fallback when the arrivals counter stops, visibly in /metrics and the log, and back when it moves', async () => {
    config = parseConfig({ ...farm.config, autoscale: { stale_after: 4 } });
    const target = memoryTarget(startClock(10), 4);
    await farm.redis.set(farm.names.enqueuedTotal, 1);
    const abort = new AbortController();
    const { o, records, metrics } = options(target, constant('primary', 0), { signal: abort.signal, fallback: constant('fallback', 0) });
    const run = runAutoscaler(o);
    await until(() => records.some((r) => r.reason === 'fallback:stale'), { what: 'a stale-signal decision' });
    expect(await metrics.registry.getSingleMetricAsString('autofarm_autoscale_fallback_active')).toContain(
      'autofarm_autoscale_fallback_active 1',
    );
    expect(metrics.isReady).toBe(false);
    const staleAt = records.length;
    await farm.redis.incr(farm.names.enqueuedTotal);
    await until(() => records.slice(staleAt).some((r) => r.reason === 'policy'), { what: 'the policy to decide again' });
    abort.abort();
    await run;
    expect(await metrics.registry.getSingleMetricAsString('autofarm_autoscale_fallback_active')).toContain(
      'autofarm_autoscale_fallback_active 0',
    );
    const stale = records.find((r) => r.reason === 'fallback:stale')!;
    expect(stale).toMatchObject({ active: 'fallback', fallback: true });
  });

  it('holds the count while Redis does not answer, marks the fallback once stale, and resumes when Redis is back', async () => {
    config = parseConfig({ ...farm.config, autoscale: { stale_after: 4 } });
    const target = memoryTarget(startClock(10), 5);
    await farm.redis.set(farm.names.enqueuedTotal, 1);
    const abort = new AbortController();
    const { o, records, metrics } = options(target, constant('primary', 0), { signal: abort.signal, callTimeoutMs: 300 });
    const run = runAutoscaler(o);
    await until(() => records.length >= 1, { what: 'a first decision' });
    await farm.server.kill();
    try {
      await until(() => records.some((r) => r.reason === 'hold:signals-unavailable' && r.fallback), {
        what: 'a stale hold',
        timeoutMs: 30_000,
      });
      expect(metrics.isReady).toBe(false);
      expect(await metrics.registry.getSingleMetricAsString('autofarm_autoscale_fallback_active')).toContain(
        'autofarm_autoscale_fallback_active 1',
      );
    } finally {
      await farm.server.restart();
    }
    const n = records.length;
    await until(() => records.slice(n).some((r) => r.reason !== 'hold:signals-unavailable'), {
      what: 'a decision after Redis came back',
      timeoutMs: 30_000,
    });
    abort.abort();
    await run;
    expect(records.filter((r) => r.reason === 'hold:signals-unavailable').every((r) => r.applied === null && r.desired === null)).toBe(
      true,
    );
    expect(target.applied.every((w) => w === 5)).toBe(true);
  }, 60_000);
});
