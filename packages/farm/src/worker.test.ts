import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeControl, decodeDeadLetter, decodeResult, encodeMessage, type TaskMessage } from '@autofarm/core';
import { startClock } from './clock.js';
import { sendScaleDown, synMessage } from './control.js';
import type { FarmEvent } from './events.js';
import { reapDeadWorkers } from './reaper.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';
import { commandCalls } from './testing/command-stats.js';
import { until as waitUntil } from './testing/until.js';
import { runWorker, type WorkerExit, type WorkerOptions } from './worker.js';

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

function task(i: number, seconds = 0.02, episode = 'ep'): TaskMessage {
  return {
    task_id: `${episode}-${i}`,
    task_gen_timestamp: clock.now(),
    task_application: 'image_processing',
    task_priority: 'normal',
    task_expected_duration: seconds,
    task_data_size: 1024,
    task_deadline: 2 * seconds,
    task_processing_time_simulated: seconds,
    task_emit_timestamp: clock.now(),
    task_emit_time: 0,
    task_index: i,
    episode_id: episode,
  };
}

function startWorker(id: string, extra: Partial<WorkerOptions> = {}) {
  const abort = new AbortController();
  aborts.push(abort);
  const events: FarmEvent[] = [];
  const exit: Promise<WorkerExit> = runWorker({
    redis: farm.factory,
    config: farm.config,
    workerId: id,
    episodeId: 'ep',
    clock,
    signal: abort.signal,
    hooks: { onEvent: (e) => events.push(e) },
    heartbeat: { intervalMs: 100, ttlMs: 400 },
    ...extra,
  });
  return { abort, events, exit };
}

/** Waits for `check` (20 s deadline by default: generous for a loaded machine, instant when it holds). */
const until = (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) =>
  waitUntil(async () => (await check()) || undefined, { timeoutMs });

describe('worker', () => {
  it('takes a task into its processing list and removes it only with the result', async () => {
    const w = startWorker('w1');
    await until(() => w.events.some((e) => e.type === 'ready'));
    await farm.redis.lpush(farm.names.worker, encodeMessage(task(1, 0.3)));
    await until(() => w.events.some((e) => e.type === 'task-start'));
    // Mid-task: the task sits in w1's processing list, not in the queue, no result yet.
    expect(await farm.redis.llen(farm.names.processing('w1'))).toBe(1);
    expect(await farm.redis.llen(farm.names.worker)).toBe(0);
    expect(await farm.redis.llen(farm.names.result)).toBe(0);
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1);
    expect(await farm.redis.llen(farm.names.processing('w1'))).toBe(0);
    const result = decodeResult((await farm.redis.rpop(farm.names.result)) as string);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.task_id).toBe('ep-1');
      expect(result.value.worker_id).toBe('w1');
      expect(result.value.processing_time).toBe(0.3);
      // Held for the processing time: setTimeout never fires early. No upper bound: how late it
      // fires is the machine's load, not the code (a loaded CI machine adds hundreds of ms).
      const held = result.value.task_work_timestamp - (result.value.task_start_timestamp as number);
      expect(held).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('works a backlog in FIFO order, taking the next task in the same round trip as each completion', async () => {
    await farm.redis.lpush(farm.names.worker, ...[10, 11, 12, 13].map((i) => encodeMessage(task(i, 0.05))));
    await farm.redis.config('RESETSTAT');
    // A long block: the BLMOVE that waits after the last task must not time out and come again.
    const w = startWorker('w-backlog', { blockSeconds: 30 });
    await until(async () => (await farm.redis.llen(farm.names.result)) === 4);
    const results = (await farm.redis.lrange(farm.names.result, 0, -1)).reverse().map((raw) => decodeResult(raw));
    const values = results.map((r) => (r.ok ? r.value : null));
    expect(values.map((r) => r?.task_id)).toEqual(['ep-10', 'ep-11', 'ep-12', 'ep-13']);
    // Back to back: each completion hands the next task over in the same round trip, so only the
    // first task came through BLMOVE (plus, at most, the blocking one after the last). Counted
    // in Redis rather than timed, which a busy shared machine would make flaky.
    for (let i = 1; i < values.length; i++) {
      const gap = (values[i]?.task_start_timestamp as number) - (values[i - 1]?.task_work_timestamp as number);
      expect(gap).toBeGreaterThanOrEqual(0);
    }
    expect(await commandCalls(farm.redis, 'blmove')).toBeLessThanOrEqual(2);
    expect(await farm.redis.llen(farm.names.processing('w-backlog'))).toBe(0);
    expect(w.events.filter((e) => e.type === 'task-done')).toHaveLength(4);
  });

  it('is re-queued by the reaper when it dies mid-task, and another worker finishes the task', async () => {
    // A long heartbeat TTL, cut short below: "still alive" must not depend on how fast this test runs.
    const hang = startWorker('dying', { work: () => new Promise(() => {}), heartbeat: { intervalMs: 100, ttlMs: 30_000 } });
    await until(() => hang.events.some((e) => e.type === 'ready'));
    await farm.redis.lpush(farm.names.worker, encodeMessage(task(7)));
    await until(() => hang.events.some((e) => e.type === 'task-start'));
    hang.abort.abort(); // from Redis's view the same as kill -9: no more heartbeats, task left behind
    expect(await farm.redis.llen(farm.names.processing('dying'))).toBe(1);
    // Alive until the heartbeat TTL runs out (here: cut to 50 ms once the first reap has looked).
    expect(await reapDeadWorkers(farm.redis, farm.names)).toEqual([]);
    await farm.redis.pexpire(farm.names.heartbeat('dying'), 50);
    await until(async () => (await farm.redis.exists(farm.names.heartbeat('dying'))) === 0);
    expect(await reapDeadWorkers(farm.redis, farm.names)).toEqual([{ workerId: 'dying', requeued: 1 }]);
    expect(await farm.redis.llen(farm.names.worker)).toBe(1);
    expect(await farm.redis.sismember(farm.names.workerRegistry, 'dying')).toBe(0);
    const healthy = startWorker('healthy');
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1);
    const result = decodeResult((await farm.redis.rpop(farm.names.result)) as string);
    expect(result.ok && result.value.task_id).toBe('ep-7');
    expect(result.ok && result.value.worker_id).toBe('healthy');
    healthy.abort.abort();
  });

  it('leaves on a SCALE_DOWN SYN addressed to it, acknowledges with the correlation id, and the other worker stays', async () => {
    // BLMOVE timeouts of an hour: an idle worker that leaves at all was woken by the SYN, since
    // no timeout can have fired (an order of events, not a wall-clock bound a loaded machine breaks).
    const a = startWorker('wa', { blockSeconds: 3600 });
    const b = startWorker('wb', { blockSeconds: 3600 });
    await until(() => a.events.some((e) => e.type === 'ready') && b.events.some((e) => e.type === 'ready'));
    // Both are blocked in BLMOVE at the server before the SYN is sent: the wake has something to wake.
    await until(async () => ((await farm.redis.client('LIST')) as string).split('\n').filter((l) => / cmd=blmove /.test(l)).length === 2);
    await sendScaleDown(
      farm.redis,
      farm.names,
      { target: 'wb', correlationId: 'corr-1', episodeId: 'ep', now: clock.now(), ttl: 30 },
      30_000,
    );
    const exit = await b.exit;
    expect(exit).toEqual({ reason: 'scale-down', tasks: 0, correlationId: 'corr-1' });
    // Idle: the SYN woke the blocked BLMOVE (order: leaving, then the exit; no task in between).
    expect(b.events.map((e) => e.type).filter((t) => t === 'leaving' || t === 'task-start')).toEqual(['leaving']);
    const ack = decodeControl((await farm.redis.rpop(farm.names.workerControlAck)) as string);
    expect(ack.ok && ack.value.action === 'ACK' && [ack.value.correlation_id, ack.value.pod_name]).toEqual(['corr-1', 'wb']);
    expect(await farm.redis.exists(farm.names.heartbeat('wb'))).toBe(0);
    // wa still works.
    await farm.redis.lpush(farm.names.worker, encodeMessage(task(2)));
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1);
    // The result is pushed inside the worker's Lua call; task-done is emitted when the call's
    // reply arrives, which a loaded machine can deliver after this test already saw the result.
    await until(() => a.events.some((e) => e.type === 'task-done'));
  });

  it('finishes its current task before acknowledging a SYN', async () => {
    const w = startWorker('busy');
    await until(() => w.events.some((e) => e.type === 'ready'));
    await farm.redis.lpush(farm.names.worker, encodeMessage(task(3, 0.3)));
    await until(() => w.events.some((e) => e.type === 'task-start'));
    await sendScaleDown(
      farm.redis,
      farm.names,
      { target: 'busy', correlationId: 'c-busy', episodeId: 'ep', now: clock.now(), ttl: 30 },
      30_000,
    );
    const exit = await w.exit;
    expect(exit).toEqual({ reason: 'scale-down', tasks: 1, correlationId: 'c-busy' });
    expect(await farm.redis.llen(farm.names.result)).toBe(1);
  });

  it('ignores stale, expired and misaddressed SYNs (dead-lettered) and keeps working', async () => {
    const w = startWorker('w-stale');
    await until(() => w.events.some((e) => e.type === 'ready'));
    const list = farm.names.workerControl('w-stale');
    const now = clock.now();
    const stale = synMessage({ type: 'SCALE_DOWN', correlationId: 'old', episodeId: 'previous-episode', now, ttl: 30, target: 'w-stale' });
    const expired = synMessage({ type: 'SCALE_DOWN', correlationId: 'late', episodeId: 'ep', now: now - 60, ttl: 30, target: 'w-stale' });
    const other = synMessage({ type: 'SCALE_DOWN', correlationId: 'other', episodeId: 'ep', now, ttl: 30, target: 'w-other' });
    await farm.redis.lpush(list, encodeMessage(stale), encodeMessage(expired), encodeMessage(other), '{not json');
    await until(async () => (await farm.redis.llen(farm.names.deadLetter)) === 4);
    const reasons = (await farm.redis.lrange(farm.names.deadLetter, 0, -1)).map((raw) => {
      const d = decodeDeadLetter(raw);
      return d.ok ? d.value.reason : 'undecodable';
    });
    expect(reasons.some((r) => r.includes('stale SYN'))).toBe(true);
    expect(reasons.some((r) => r.includes('expired SYN'))).toBe(true);
    expect(reasons.some((r) => r.includes('addressed to w-other'))).toBe(true);
    expect(reasons.some((r) => r.includes('not JSON'))).toBe(true);
    await farm.redis.lpush(farm.names.worker, encodeMessage(task(4)));
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1);
    expect(await farm.redis.llen(farm.names.workerControlAck)).toBe(0);
  });

  it('dead-letters a malformed task with the reason and goes on with the next one', async () => {
    const w = startWorker('w-dl');
    await until(() => w.events.some((e) => e.type === 'ready'));
    const { task_deadline: _d, ...noDeadline } = task(5);
    await farm.redis.lpush(farm.names.worker, '{oops', JSON.stringify(noDeadline), encodeMessage(task(6)));
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1);
    const letters = (await farm.redis.lrange(farm.names.deadLetter, 0, -1)).map((raw) => decodeDeadLetter(raw));
    expect(letters).toHaveLength(2);
    const byPayload = new Map(letters.map((l) => (l.ok ? [l.value.payload, l.value] : ['', null])));
    expect(byPayload.get('{oops')?.reason).toMatch(/not JSON/);
    expect(byPayload.get('{oops')?.source).toBe(farm.names.worker);
    expect(byPayload.get(JSON.stringify(noDeadline))?.reason).toMatch(/task_deadline/);
    expect(await farm.redis.llen(farm.names.processing('w-dl'))).toBe(0);
  });

  it('runs the real image pipeline in image work mode and reports the measured time', async () => {
    const config = { ...farm.config, tasks: { ...farm.config.tasks, work: 'image' as const } };
    const w = startWorker('w-image', { config });
    await until(() => w.events.some((e) => e.type === 'ready'), 20_000);
    await farm.redis.lpush(farm.names.worker, encodeMessage({ ...task(20, 5), task_data_size: 512 }));
    await until(async () => (await farm.redis.llen(farm.names.result)) === 1, 20_000);
    const result = decodeResult((await farm.redis.rpop(farm.names.result)) as string);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Measured, not the 5 s the task claims: a 512 px image takes milliseconds; the simulated
    // time travels beside it.
    expect(result.value.processing_time).toBeGreaterThan(0);
    expect(result.value.processing_time).toBeLessThan(2);
    expect(result.value.processing_time_simulated).toBe(5);
    expect(result.value.task_work_timestamp - (result.value.task_start_timestamp as number)).toBeGreaterThanOrEqual(
      result.value.processing_time,
    );
  }, 30_000);

  it('stops at once on TERMINATE', async () => {
    const w = startWorker('w-term');
    await until(() => w.events.some((e) => e.type === 'ready'));
    const msg = synMessage({ type: 'TERMINATE', correlationId: 'end', episodeId: 'ep', now: clock.now(), ttl: 30 });
    await farm.redis.lpush(farm.names.workerControl('w-term'), encodeMessage(msg));
    expect(await w.exit).toEqual({ reason: 'terminate', tasks: 0 });
    expect(await farm.redis.llen(farm.names.workerControlAck)).toBe(0);
  });
});
