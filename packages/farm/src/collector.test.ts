import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeOutput, encodeMessage, resultFor, type TaskMessage } from '@autofarm/core';
import { startClock } from './clock.js';
import { runCollector } from './collector.js';
import { synMessage } from './control.js';
import type { FarmEvent } from './events.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';
import { until as waitUntil } from './testing/until.js';

let farm: TestFarm;
const clock = startClock(1);
const aborts: AbortController[] = [];

beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await farm.redis.flushdb();
});

function startCollector() {
  const abort = new AbortController();
  aborts.push(abort);
  const events: FarmEvent[] = [];
  const exit = runCollector({
    redis: farm.factory,
    config: farm.config,
    episodeId: 'ep',
    clock,
    signal: abort.signal,
    hooks: { onEvent: (e) => events.push(e) },
    reaper: false,
  });
  return { events, exit };
}

function result(id: string, deadline: number) {
  const t: TaskMessage = {
    task_id: id,
    task_gen_timestamp: clock.now(),
    task_application: 'image_processing',
    task_priority: 'normal',
    task_expected_duration: 0.1,
    task_data_size: 1024,
    task_deadline: deadline,
    task_processing_time_simulated: 0.1,
    task_emit_timestamp: clock.now(),
    task_emit_time: 0,
  };
  return encodeMessage(resultFor(t, { started: clock.now(), finished: clock.now(), processing: 0.1, workerId: 'w' }));
}

/** Waits for `check` (20 s deadline: generous for a loaded machine, instant when it holds). */
const until = (check: () => Promise<boolean>) => waitUntil(async () => (await check()) || undefined);

describe('collector', () => {
  it('counts each task id once, however often its result arrives', async () => {
    const c = startCollector();
    const r = result('t-1', 5);
    await farm.redis.lpush(farm.names.result, r, r, result('t-2', 5), r);
    await until(async () => Number(await farm.redis.get(farm.names.duplicateResults)) === 2);
    expect(await farm.redis.llen(farm.names.output)).toBe(2);
    expect(Number(await farm.redis.get(farm.names.collectedTotal))).toBe(2);
    expect(await farm.redis.scard(farm.names.collectedIds)).toBe(2);
    expect(c.events.filter((e) => e.type === 'collected' && e.counted)).toHaveLength(2);
    expect(await farm.redis.llen(farm.names.collectorProcessing)).toBe(0);
  });

  it('judges the deadline end to end and counts the met tasks', async () => {
    startCollector();
    // Deadline 0: any positive latency misses it. Deadline 30 s: met.
    await farm.redis.lpush(farm.names.result, result('late', 0), result('ok', 30));
    await until(async () => (await farm.redis.llen(farm.names.output)) === 2);
    const records = (await farm.redis.lrange(farm.names.output, 0, -1)).map((raw) => decodeOutput(raw));
    const byId = new Map(records.map((r) => (r.ok ? [r.value.task_id, r.value] : ['', null])));
    expect(byId.get('late')?.task_QoS).toBe(false);
    expect(byId.get('ok')?.task_QoS).toBe(true);
    expect(byId.get('ok')?.task_completion_time).toBeGreaterThan(0);
    expect(Number(await farm.redis.get(farm.names.metTotal))).toBe(1);
  });

  it('dead-letters a malformed result and keeps collecting', async () => {
    const c = startCollector();
    await farm.redis.lpush(farm.names.result, 'garbage', JSON.stringify({ task_id: 'x' }), result('good', 30));
    await until(async () => (await farm.redis.llen(farm.names.output)) === 1);
    const letters = (await farm.redis.lrange(farm.names.deadLetter, 0, -1)).map((raw) => decodeDeadLetter(raw));
    expect(letters.map((l) => l.ok && l.value.source)).toEqual([farm.names.result, farm.names.result]);
    expect(letters.every((l) => l.ok && l.value.reason.length > 0)).toBe(true);
    expect(c.events.some((e) => e.type === 'dead-letter')).toBe(true);
  });

  it('stops on TERMINATE for its episode only', async () => {
    const c = startCollector();
    await until(async () => c.events.some((e) => e.type === 'ready'));
    await farm.redis.lpush(
      farm.names.collectorControl,
      encodeMessage(synMessage({ type: 'TERMINATE', correlationId: 'x', episodeId: 'old', now: clock.now(), ttl: 10 })),
    );
    await until(async () => (await farm.redis.llen(farm.names.deadLetter)) === 1);
    await farm.redis.lpush(
      farm.names.collectorControl,
      encodeMessage(synMessage({ type: 'TERMINATE', correlationId: 'y', episodeId: 'ep', now: clock.now(), ttl: 10 })),
    );
    expect(await c.exit).toEqual({ reason: 'terminate', collected: 0, duplicates: 0 });
  });
});
