/**
 * The reaper: a worker whose heartbeat key has expired is dead; its processing list goes back to
 * the front of the worker queue, so a crashed worker loses no task (reference §16 item 31).
 *
 * After its own connection (re)connects it waits one heartbeat TTL before judging anyone: after a
 * Redis restart every heartbeat may have lapsed while Redis was down, and live workers need that
 * long to refresh theirs.
 */
import type { Redis } from 'ioredis';
import type { QueueNames } from '@autofarm/core';
import { disconnectOnAbort, pause } from './blocking.js';
import { emit, type FarmHooks } from './events.js';
import type { RedisFactory } from './redis.js';
import { requeueScript } from './scripts.js';
import type { HeartbeatSettings } from './worker.js';

export interface Reaped {
  workerId: string;
  requeued: number;
}

/** One pass over the registered workers; returns the dead ones and how many tasks each gave back. */
export async function reapDeadWorkers(conn: Redis, names: QueueNames): Promise<Reaped[]> {
  const ids = await conn.smembers(names.workerRegistry);
  const reaped: Reaped[] = [];
  for (const id of ids) {
    const n = Number(
      await requeueScript.run(
        conn,
        [names.heartbeat(id), names.processing(id), names.worker, names.workerRegistry, names.workerControl(id)],
        [id, 'if-dead'],
      ),
    );
    if (n >= 0) reaped.push({ workerId: id, requeued: n });
  }
  return reaped;
}

export interface ReaperOptions {
  redis: RedisFactory;
  names: QueueNames;
  heartbeat: HeartbeatSettings;
  signal: AbortSignal;
  hooks?: FarmHooks;
  /** Real milliseconds between passes (default: half the heartbeat TTL). */
  intervalMs?: number;
}

export async function runReaper(o: ReaperOptions): Promise<void> {
  const conn = o.redis('reaper');
  const undo = disconnectOnAbort(o.signal, [conn]);
  let notBefore = Date.now() + o.heartbeat.ttlMs;
  conn.on('ready', () => {
    notBefore = Date.now() + o.heartbeat.ttlMs;
  });
  try {
    while (!o.signal.aborted) {
      await pause(o.intervalMs ?? o.heartbeat.ttlMs / 2);
      if (o.signal.aborted || Date.now() < notBefore || conn.status !== 'ready') continue;
      try {
        for (const r of await reapDeadWorkers(conn, o.names)) emit(o.hooks, { type: 'reaped', workerId: r.workerId, requeued: r.requeued });
      } catch (error) {
        if (!o.signal.aborted) emit(o.hooks, { type: 'error', by: 'reaper', message: (error as Error).message });
      }
    }
  } finally {
    undo();
    conn.disconnect();
  }
}
