import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTask, encodeMessage } from '@autofarm/core';
import { episodeWorkload } from '@autofarm/workload';
import { startClock } from './clock.js';
import { synMessage } from './control.js';
import { runEmitter, taskId } from './emitter.js';
import type { FarmEvent } from './events.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';
import { virtualClock } from './testing/virtual-clock.js';
import { until } from './testing/until.js';

let farm: TestFarm;

beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});

describe('emitter', () => {
  it('pushes the same tasks at exactly the program times of episodeWorkload', async () => {
    await farm.redis.flushdb();
    const seed = 5;
    const events: FarmEvent[] = [];
    const inputLengths: number[] = [];
    // A clock that jumps to each wake-up: the schedule is checked exactly, not against a loaded
    // machine's timers. Redis is looked at on every wake-up.
    const clock = virtualClock({ onAdvance: async () => void inputLengths.push(await farm.redis.llen(farm.names.input)) });
    const exit = await runEmitter({
      redis: farm.factory,
      config: farm.config,
      seed,
      episodeId: 'ep',
      clock,
      hooks: { onEvent: (e) => events.push(e) },
    });

    const expected = episodeWorkload(farm.config, seed);
    const n = expected.arrivals.length;
    expect(n).toBeGreaterThan(0);
    expect(exit).toEqual({ reason: 'done', generated: n });
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
      expect(decoded.value.task_gen_timestamp).toBe(arrival.time);
    });
    expect(events.filter((e) => e.type === 'pushed')).toHaveLength(n);
    // input_q: both phases queued at first, the second taken at its start, none at the end.
    expect(inputLengths).toContain(1);
    expect(await farm.redis.llen(farm.names.input)).toBe(0);
  });

  it('runs time-scaled on the real clock, never early: 4 program s at x20 take 0.2 real s, not 4', async () => {
    await farm.redis.flushdb();
    const seed = 5;
    const startedAt = performance.now();
    const clock = startClock(20);
    const exit = await runEmitter({ redis: farm.factory, config: farm.config, seed, episodeId: 'ep', clock });
    const realSeconds = (performance.now() - startedAt) / 1000;
    const expected = episodeWorkload(farm.config, seed);
    expect(exit).toEqual({ reason: 'done', generated: expected.arrivals.length });
    expect(realSeconds).toBeGreaterThanOrEqual(0.19);
    // Unscaled it would take 4 s; a loaded machine adds lateness, which never accumulates into that.
    expect(realSeconds).toBeLessThan(3.9);
    const stamps = (await farm.redis.lrange(farm.names.worker, 0, -1)).reverse().map((raw) => JSON.parse(raw).task_gen_timestamp as number);
    stamps.forEach((at, i) => expect(at).toBeGreaterThanOrEqual((expected.arrivals[i] as { time: number }).time));
  });

  it('stops mid-phase on TERMINATE', async () => {
    await farm.redis.flushdb();
    const clock = startClock(1);
    let pushed = 0;
    const run = runEmitter({
      redis: farm.factory,
      config: farm.config,
      seed: 1,
      episodeId: 'ep2',
      clock,
      hooks: { onEvent: (e) => void (e.type === 'pushed' && pushed++) },
    });
    await until(() => pushed > 0, { what: 'the first task pushed' });
    await farm.redis.lpush(
      farm.names.emitterControl,
      encodeMessage(synMessage({ type: 'TERMINATE', correlationId: 't', episodeId: 'ep2', now: clock.now(), ttl: 10 })),
    );
    const exit = await run;
    // Stopped mid-phase, told by what it generated rather than by a wall-clock bound.
    expect(exit.reason).toBe('terminate');
    expect(exit.generated).toBeLessThan(episodeWorkload(farm.config, 1).arrivals.length);
    expect(await farm.redis.exists(farm.names.generationDone)).toBe(0);
  });

  it(
    'pushes its recent tasks again after a reconnect, so writes a Redis crash lost come ' + 'back (and kept ones are not doubled)',
    async () => {
      await farm.redis.flushdb();
      // x2: the 4 s workload takes 2 s real, so the crash below surely falls mid-emission.
      const clock = startClock(2);
      let pushed = 0;
      const run = runEmitter({
        redis: farm.factory,
        config: farm.config,
        seed: 5,
        episodeId: 'ep3',
        clock,
        hooks: { onEvent: (e) => void (e.type === 'pushed' && pushed++) },
      });
      await until(() => pushed > 0, { what: 'the first task pushed' });
      // What an appendfsync-everysec crash does to the last second: the pushes are gone...
      const kept = await farm.redis.llen(farm.names.worker);
      expect(kept).toBeGreaterThan(0);
      await farm.redis.del(farm.names.worker, farm.names.generatedIds, farm.names.enqueuedTotal);
      // ...and every client is disconnected.
      await farm.redis.client('KILL', 'TYPE', 'normal');
      const exit = await run;
      const n = episodeWorkload(farm.config, 5).arrivals.length;
      expect(exit.generated).toBe(n);
      // The repeat runs beside the loop after the reconnect: wait for the lost pushes to come back.
      await until(async () => (await farm.redis.llen(farm.names.worker)) >= n, { what: `${n} tasks in the worker queue` });
      const ids = (await farm.redis.lrange(farm.names.worker, 0, -1)).map((raw) => (decodeTask(raw).ok ? JSON.parse(raw).task_id : 'bad'));
      expect(new Set(ids).size).toBe(n);
      expect(ids).toHaveLength(n);
      expect(Number(await farm.redis.get(farm.names.enqueuedTotal))).toBe(n);
    },
  );

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
