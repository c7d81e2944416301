import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTask, encodeMessage } from '@autofarm/core';
import { episodeWorkload } from '@autofarm/workload';
import { startClock } from './clock.js';
import { synMessage } from './control.js';
import { runEmitter, taskId } from './emitter.js';
import type { FarmEvent } from './events.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';

let farm: TestFarm;

beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});

describe('emitter', () => {
  it('pushes the same tasks at the same program times as episodeWorkload, time-scaled', async () => {
    await farm.redis.flushdb();
    const seed = 5;
    const timeScale = 10;
    const clock = startClock(timeScale);
    const events: FarmEvent[] = [];
    const inputLengths: number[] = [];
    const watcher = setInterval(() => void farm.redis.llen(farm.names.input).then((n) => inputLengths.push(n)), 20);
    const startedAt = performance.now();
    const exit = await runEmitter({ redis: farm.factory, config: farm.config, seed, episodeId: 'ep', clock, hooks: { onEvent: (e) => events.push(e) } });
    const realSeconds = (performance.now() - startedAt) / 1000;
    clearInterval(watcher);

    const expected = episodeWorkload(farm.config, seed);
    const n = expected.arrivals.length;
    expect(n).toBeGreaterThan(0);
    expect(exit).toEqual({ reason: 'done', generated: n });
    // 4 program seconds of workload at time_scale 10 take about 0.4 real seconds.
    expect(realSeconds).toBeGreaterThanOrEqual(0.39);
    expect(realSeconds).toBeLessThan(1.5);
    expect(Number(await farm.redis.get(farm.names.enqueuedTotal))).toBe(n);
    expect(await farm.redis.get(farm.names.generationDone)).toBe(String(n));

    const tasks = (await farm.redis.lrange(farm.names.worker, 0, -1)).reverse().map((raw) => decodeTask(raw));
    expect(tasks).toHaveLength(n);
    tasks.forEach((decoded, i) => {
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      const want = expected.nextTask();
      const arrival = expected.arrivals[i] as { time: number };
      expect(decoded.value.task_id).toBe(taskId('ep', i));
      expect(decoded.value.task_processing_time_simulated).toBe(want.processingTime);
      expect(decoded.value.task_data_size).toBe(want.size);
      expect(decoded.value.task_deadline).toBe(want.deadline);
      // Created at its arrival time, late by at most 0.5 program s (50 ms real at x10: generous,
      // because the 2 cores of the test machine are shared; typically < 2 ms real).
      expect(decoded.value.task_gen_timestamp).toBeGreaterThanOrEqual(arrival.time);
      expect(decoded.value.task_gen_timestamp - arrival.time).toBeLessThan(0.5);
    });
    // input_q: both phases queued at first, the second taken at its start, none at the end.
    expect(inputLengths).toContain(1);
    expect(await farm.redis.llen(farm.names.input)).toBe(0);
  });

  it('stops mid-phase on TERMINATE', async () => {
    await farm.redis.flushdb();
    const clock = startClock(1);
    const run = runEmitter({ redis: farm.factory, config: farm.config, seed: 1, episodeId: 'ep2', clock });
    await new Promise((r) => setTimeout(r, 300));
    const sent = performance.now();
    await farm.redis.lpush(farm.names.emitterControl, encodeMessage(synMessage({ type: 'TERMINATE', correlationId: 't', episodeId: 'ep2', now: clock.now(), ttl: 10 })));
    const exit = await run;
    expect(exit.reason).toBe('terminate');
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(exit.generated).toBeLessThan(episodeWorkload(farm.config, 1).arrivals.length);
    expect(await farm.redis.exists(farm.names.generationDone)).toBe(0);
  });

  it('pushes its recent tasks again after a reconnect, so writes a Redis crash lost come back (and kept ones are not doubled)', async () => {
    await farm.redis.flushdb();
    const clock = startClock(10);
    const run = runEmitter({ redis: farm.factory, config: farm.config, seed: 5, episodeId: 'ep3', clock });
    await new Promise((r) => setTimeout(r, 200));
    // What an appendfsync-everysec crash does to the last second: the pushes are gone...
    const kept = await farm.redis.llen(farm.names.worker);
    expect(kept).toBeGreaterThan(0);
    await farm.redis.del(farm.names.worker, farm.names.generatedIds, farm.names.enqueuedTotal);
    // ...and every client is disconnected.
    await farm.redis.client('KILL', 'TYPE', 'normal');
    const exit = await run;
    await new Promise((r) => setTimeout(r, 200));
    const n = episodeWorkload(farm.config, 5).arrivals.length;
    expect(exit.generated).toBe(n);
    const ids = (await farm.redis.lrange(farm.names.worker, 0, -1)).map((raw) => (decodeTask(raw).ok ? JSON.parse(raw).task_id : 'bad'));
    expect(new Set(ids).size).toBe(n);
    expect(ids).toHaveLength(n);
    expect(Number(await farm.redis.get(farm.names.enqueuedTotal))).toBe(n);
  });

  it('pushes each task once even when the push is repeated', async () => {
    await farm.redis.flushdb();
    const { enqueueScript } = await import('./scripts.js');
    const keys = [farm.names.generatedIds, farm.names.worker, farm.names.enqueuedTotal];
    expect(await enqueueScript.run(farm.redis, keys, ['a', '{}'])).toBe(1);
    expect(await enqueueScript.run(farm.redis, keys, ['a', '{}'])).toBe(1);
    expect(await enqueueScript.run(farm.redis, keys, ['b', '{}'])).toBe(2);
    expect(await farm.redis.llen(farm.names.worker)).toBe(2);
  });
});
