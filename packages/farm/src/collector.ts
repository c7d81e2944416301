/**
 * The collector loop (reference §4.7, with §16 items 31, 39 fixed): BLMOVE a result into the
 * collector's processing list, judge it against its deadline on the shared program clock
 * (latency = collect time - gen time), and in one atomic step push the output record, count it
 * (once per task id: a Redis set) and drop it from the processing list. A malformed result is
 * dead-lettered and the loop goes on. The collector also runs the reaper (it is the one
 * long-lived singleton of the farm). TERMINATE (this episode) stops it.
 */
import { decodeResult, encodeMessage, outputFor, queueNames, type Config } from '@autofarm/core';
import { disconnectOnAbort, pause, Wakeable } from './blocking.js';
import type { ProgramClock } from './clock.js';
import { announceReady } from './control.js';
import { deadLetter } from './dead-letter.js';
import { emit, type FarmHooks } from './events.js';
import { runReaper } from './reaper.js';
import type { RedisFactory } from './redis.js';
import { collectScript } from './scripts.js';
import { DEFAULT_HEARTBEAT, type HeartbeatSettings } from './worker.js';

export interface CollectorOptions {
  redis: RedisFactory;
  config: Pick<Config, 'queues'>;
  episodeId: string;
  clock: ProgramClock;
  signal?: AbortSignal;
  hooks?: FarmHooks;
  collectorId?: string;
  /** Heartbeat settings the workers use (the reaper's TTL); false disables the reaper. */
  reaper?: HeartbeatSettings | false;
  blockSeconds?: number;
}

export interface CollectorExit {
  reason: 'terminate' | 'aborted';
  collected: number;
  duplicates: number;
}

export async function runCollector(o: CollectorOptions): Promise<CollectorExit> {
  const names = queueNames(o.config.queues);
  const id = o.collectorId ?? 'collector-1';
  const by = `collector ${id}`;
  const conn = o.redis(`collector:${id}`);
  const controlConn = o.redis(`collector:${id}:control`);
  const wakeable = new Wakeable(conn);
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const undoAbort = disconnectOnAbort(o.signal, [conn, controlConn]);
  let terminated = false;
  let collected = 0;
  let duplicates = 0;
  const reaper =
    o.reaper === false
      ? Promise.resolve()
      : runReaper({ redis: o.redis, names, heartbeat: o.reaper ?? DEFAULT_HEARTBEAT, signal, ...(o.hooks ? { hooks: o.hooks } : {}) });

  try {
    const me = { names, role: 'collector' as const, id, episodeId: o.episodeId, clock: o.clock, hooks: o.hooks };
    const { control } = await announceReady(conn, {
      ...me,
      conn: controlConn,
      running: () => !signal.aborted,
      onTerminate: async () => {
        terminated = true;
        stop.abort();
        await wakeable.wake(controlConn);
      },
    });

    // Look at the processing list at start and after a reconnect (a move whose reply was lost).
    let checkProcessing = true;
    conn.on('ready', () => {
      checkProcessing = true;
    });
    while (!signal.aborted) {
      try {
        let raw: string | null = null;
        if (checkProcessing) {
          raw = await conn.lindex(names.collectorProcessing, -1);
          checkProcessing = false;
        }
        if (raw === null)
          raw = await wakeable.block(() => conn.blmove(names.result, names.collectorProcessing, 'RIGHT', 'LEFT', o.blockSeconds ?? 1));
        if (raw === null) continue;
        const decoded = decodeResult(raw);
        if (!decoded.ok) {
          await deadLetter(
            conn,
            names,
            { source: names.result, holder: names.collectorProcessing, raw, reason: decoded.reason, by, at: o.clock.now() },
            o.hooks,
          );
          continue;
        }
        const at = o.clock.now();
        const record = outputFor(decoded.value, at);
        const counted =
          (await collectScript.run(
            conn,
            [names.collectorProcessing, names.collectedIds, names.output, names.collectedTotal, names.metTotal, names.duplicateResults],
            [raw, record.task_id, encodeMessage(record), record.task_QoS ? '1' : '0'],
          )) === 1;
        if (counted) collected++;
        else duplicates++;
        emit(o.hooks, { type: 'collected', taskId: record.task_id, at, met: record.task_QoS, counted });
      } catch (error) {
        checkProcessing = true;
        if (signal.aborted) break;
        emit(o.hooks, { type: 'error', by, message: (error as Error).message });
        await pause(100);
      }
    }
    controlConn.disconnect();
    await control;
    await reaper;
    return { reason: terminated ? 'terminate' : 'aborted', collected, duplicates };
  } finally {
    stop.abort();
    undoAbort();
    conn.disconnect();
    controlConn.disconnect();
  }
}
