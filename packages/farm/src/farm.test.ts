import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOutput, encodeMessage } from '@autofarm/core';
import { episodeWorkload } from '@autofarm/workload';
import { startClock } from './clock.js';
import { runCollector } from './collector.js';
import { probeRedis } from './redis.js';
import { runEmitter } from './emitter.js';
import type { FarmEvent } from './events.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';
import { until } from './testing/until.js';
import { runWorker } from './worker.js';

let farm: TestFarm;

beforeAll(async () => {
  // 6 program seconds at 300 tasks/min: ~30 tasks.
  farm = await startTestFarm({
    config: { workload: { base_rate: 300, phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 6 }] } },
  });
});
afterAll(async () => {
  await farm.close();
});

describe('the farm on real Redis', () => {
  it('survives a kill -9 of Redis mid-episode: every task collected exactly once', async () => {
    const seed = 11;
    const clock = startClock(5);
    const abort = new AbortController();
    setMaxListeners(64, abort.signal); // 8 workers + emitter + collector each listen
    const events: FarmEvent[] = [];
    const hooks = { onEvent: (e: FarmEvent) => events.push(e) };
    const heartbeat = { intervalMs: 100, ttlMs: 600 };
    const common = { redis: farm.factory, config: farm.config, episodeId: 'ep', clock, signal: abort.signal, hooks };
    const collector = runCollector({ ...common, reaper: heartbeat });
    const workers = Array.from({ length: 8 }, (_, i) => runWorker({ ...common, workerId: `w${i}`, heartbeat }));
    const emitter = runEmitter({ ...common, seed });
    const planned = episodeWorkload(farm.config, seed).arrivals.length;

    // Crash Redis 0.4 s (2 program s) in, bring it back 0.5 s later on the same AOF.
    await new Promise((r) => setTimeout(r, 400));
    await farm.server.kill();
    await new Promise((r) => setTimeout(r, 500));
    await farm.server.restart();

    expect((await emitter).generated).toBe(planned);
    await until(async () => Number(await farm.redis.get(farm.names.collectedTotal)) >= planned, {
      what: `all ${planned} tasks collected`,
      timeoutMs: 25_000,
    });
    abort.abort();
    await Promise.all([collector, ...workers]);

    const records = (await farm.redis.lrange(farm.names.output, 0, -1)).map((raw) => decodeOutput(raw));
    const ids = records.map((r) => (r.ok ? r.value.task_id : 'bad'));
    expect(ids).toHaveLength(planned);
    expect(new Set(ids).size).toBe(planned);
    expect(Number(await farm.redis.get(farm.names.collectedTotal))).toBe(planned);
    expect(Number(await farm.redis.get(farm.names.enqueuedTotal))).toBe(planned);
    expect(await farm.redis.llen(farm.names.deadLetter)).toBe(0);
    // Some task really crossed the 0.5 s (= 2.5 program s) outage.
    const slowest = Math.max(...records.map((r) => (r.ok ? r.value.task_completion_time : 0)));
    expect(slowest).toBeGreaterThan(2);
    expect(events.filter((e) => e.type === 'collected' && e.counted)).toHaveLength(planned);
  });
});

describe('Redis settings', () => {
  it('connects with the configured password, and a wrong one is refused', async () => {
    const secured = await startTestFarm({ server: { password: 's3cret' } });
    try {
      expect(await secured.redis.ping()).toBe('PONG');
      const abort = new AbortController();
      const worker = runWorker({
        redis: secured.factory,
        config: secured.config,
        workerId: 'pw',
        episodeId: 'ep',
        clock: startClock(1),
        signal: abort.signal,
      });
      await secured.redis.lpush(
        secured.names.worker,
        encodeMessage({
          task_id: 'ep-1',
          task_gen_timestamp: 0,
          task_application: 'image_processing',
          task_priority: 'normal',
          task_expected_duration: 0.01,
          task_data_size: 512,
          task_deadline: 1,
          task_processing_time_simulated: 0.01,
          task_emit_timestamp: 0,
          task_emit_time: 0,
        }),
      );
      await until(async () => (await secured.redis.llen(secured.names.result)) > 0, { what: 'the result of the one task' });
      expect(await secured.redis.llen(secured.names.result)).toBe(1);
      abort.abort();
      await worker;
      await expect(probeRedis({ ...secured.target, password: 'wrong' }, 2000)).rejects.toThrow(/cannot reach Redis at 127\.0\.0\.1/);
    } finally {
      await secured.close();
    }
  });
});
