/**
 * The worker loop (reference §4.6, with §16 items 30, 31, 39 fixed).
 *
 * - Takes a task with BLMOVE worker_queue -> its own processing list (blocking, 1 s timeout:
 *   no 100 ms polling), and removes it only in the same atomic step that pushes the result
 *   (which also moves the next queued task in, so a busy worker costs one round trip per task).
 *   At start and after a reconnect it first looks in its processing list: a task whose move
 *   was applied but whose reply was lost (Redis restart) is processed, not forgotten.
 * - Heartbeat: a key with a TTL, refreshed by the control watcher every `heartbeatMs`; if the
 *   process dies, the key expires and the reaper (collector side) re-queues its tasks.
 * - Control: its own list. A SCALE_DOWN SYN for it (this episode, not expired) makes it finish the
 *   current task (or leave at once when idle: the SYN wakes the blocked BLMOVE), ACK with the
 *   correlation id, and exit. TERMINATE stops it at once. Other messages are dead-lettered.
 * - A malformed task is dead-lettered with the reason and the loop goes on.
 */
import type { Redis } from 'ioredis';
import {
  decodeControl,
  decodeTask,
  encodeMessage,
  queueNames,
  resultFor,
  type Config,
  type QueueNames,
  type SynMessage,
  type TaskMessage,
} from '@autofarm/core';
import { disconnectOnAbort, pause, Wakeable } from './blocking.js';
import type { ProgramClock } from './clock.js';
import { ackMessage, synRejection, watchControl } from './control.js';
import { deadLetter } from './dead-letter.js';
import { emit, type FarmHooks } from './events.js';
import type { RedisFactory } from './redis.js';
import { completeAndTakeScript, requeueScript } from './scripts.js';
import { workFor, type Work } from './work.js';

export interface HeartbeatSettings {
  /** Refresh period, real milliseconds. */
  intervalMs: number;
  /** Key TTL, real milliseconds: a worker silent this long counts as dead. */
  ttlMs: number;
}

/** 300 ms refresh, 1.5 s TTL: a killed worker's tasks are back in the queue within ~2 s. */
export const DEFAULT_HEARTBEAT: HeartbeatSettings = { intervalMs: 300, ttlMs: 1500 };

export interface WorkerOptions {
  redis: RedisFactory;
  config: Pick<Config, 'queues' | 'tasks'>;
  workerId: string;
  episodeId: string;
  clock: ProgramClock;
  signal?: AbortSignal;
  hooks?: FarmHooks;
  heartbeat?: HeartbeatSettings;
  /** Seconds a BLMOVE blocks before re-checking (default 1). */
  blockSeconds?: number;
  /** Replaces the configured work mode (tests). */
  work?: Work;
}

export interface WorkerExit {
  reason: 'scale-down' | 'terminate' | 'aborted';
  tasks: number;
  correlationId?: string;
}

export async function runWorker(o: WorkerOptions): Promise<WorkerExit> {
  const names = queueNames(o.config.queues);
  const id = o.workerId;
  const by = `worker ${id}`;
  const hb = o.heartbeat ?? DEFAULT_HEARTBEAT;
  const work = o.work ?? (await workFor(o.config.tasks.work));
  const tasksConn = o.redis(`worker:${id}`);
  const controlConn = o.redis(`worker:${id}:control`);
  const wakeable = new Wakeable(tasksConn);
  const undoAbort = disconnectOnAbort(o.signal, [tasksConn, controlConn]);
  const processing = names.processing(id);

  let leaving: SynMessage | null = null;
  let terminating = false;
  const running = () => !leaving && !terminating && !o.signal?.aborted;
  const beat = () =>
    controlConn.multi().set(names.heartbeat(id), String(o.clock.now()), 'PX', hb.ttlMs).sadd(names.workerRegistry, id).exec();

  try {
    await beat();
    await tasksConn.lpush(
      names.workerStart,
      encodeMessage({
        type: 'START',
        action: 'SYNC',
        start_timestamp: o.clock.now().toFixed(6),
        pod_name: id,
        message: 'worker ready',
        episode_id: o.episodeId,
      }),
    );
    emit(o.hooks, { type: 'ready', role: 'worker', id, at: o.clock.now() });

    const onControl = async (raw: string) => {
      const decoded = decodeControl(raw);
      const source = names.workerControl(id);
      if (!decoded.ok) return deadLetter(controlConn, names, { source, raw, reason: decoded.reason, by, at: o.clock.now() }, o.hooks);
      const msg = decoded.value;
      if (msg.action !== 'SYN')
        return deadLetter(
          controlConn,
          names,
          { source, raw, reason: `unexpected ${msg.type} ${msg.action} on a worker control list`, by, at: o.clock.now() },
          o.hooks,
        );
      const rejection = synRejection(msg, { id, episodeId: o.episodeId, now: o.clock.now() });
      if (rejection) return deadLetter(controlConn, names, { source, raw, reason: rejection, by, at: o.clock.now() }, o.hooks);
      if (msg.type === 'SCALE_DOWN') {
        leaving = msg;
        emit(o.hooks, { type: 'leaving', id, correlationId: msg.correlation_id });
      } else terminating = true;
      await wakeable.wake(controlConn);
    };
    const control = watchControl({
      conn: controlConn,
      list: names.workerControl(id),
      timeoutSeconds: hb.intervalMs / 1000,
      running,
      onMessage: onControl,
      onTick: async () => {
        if (running()) await beat();
      },
      onError: (e) => emit(o.hooks, { type: 'error', by, message: `control: ${e.message}` }),
    });

    let tasks = 0;
    const state: TakeState = { next: null, checkProcessing: true };
    // After a reconnect a reply may have been lost with the task already moved: look first.
    tasksConn.on('ready', () => {
      state.checkProcessing = true;
    });
    while (running()) {
      try {
        const done = await takeAndProcess(tasksConn, wakeable, names, o, work, processing, state, running);
        if (done) tasks++;
      } catch (error) {
        state.next = null;
        state.checkProcessing = true;
        if (!running()) break;
        emit(o.hooks, { type: 'error', by, message: (error as Error).message });
        await pause(100);
      }
    }

    if (o.signal?.aborted) return { reason: 'aborted', tasks };
    const syn = leaving as SynMessage | null;
    if (syn) await tasksConn.lpush(names.workerControlAck, encodeMessage(ackMessage(syn, id, o.clock.now())));
    // Leave cleanly: nothing should be in the processing list now, but if it is, it goes back.
    await requeueScript.run(
      tasksConn,
      [names.heartbeat(id), processing, names.worker, names.workerRegistry, names.workerControl(id)],
      [id, 'always'],
    );
    controlConn.disconnect();
    await control;
    return syn ? { reason: 'scale-down', tasks, correlationId: syn.correlation_id } : { reason: 'terminate', tasks };
  } finally {
    undoAbort();
    tasksConn.disconnect();
    controlConn.disconnect();
  }
}

interface TakeState {
  /** A task the last completion already moved into the processing list. */
  next: string | null;
  /** Look at the processing list before taking from the queue (at start, after a reconnect or an error). */
  checkProcessing: boolean;
}

/** One iteration: take a task (one handed over, the processing list, else BLMOVE), work, complete. True if a task was completed. */
async function takeAndProcess(
  conn: Redis,
  wakeable: Wakeable,
  names: QueueNames,
  o: WorkerOptions,
  work: Work,
  processing: string,
  state: TakeState,
  running: () => boolean,
): Promise<boolean> {
  const by = `worker ${o.workerId}`;
  let raw = state.next;
  state.next = null;
  if (raw === null && state.checkProcessing) {
    raw = await conn.lindex(processing, -1);
    state.checkProcessing = false;
  }
  if (raw === null) raw = await wakeable.block(() => conn.blmove(names.worker, processing, 'RIGHT', 'LEFT', o.blockSeconds ?? 1));
  if (raw === null) return false;
  const decoded = decodeTask(raw);
  if (!decoded.ok) {
    await deadLetter(
      conn,
      names,
      { source: names.worker, holder: processing, raw, reason: decoded.reason, by, at: o.clock.now() },
      o.hooks,
    );
    return false;
  }
  const task: TaskMessage = decoded.value;
  if (task.episode_id !== undefined && task.episode_id !== o.episodeId) {
    await deadLetter(
      conn,
      names,
      {
        source: names.worker,
        holder: processing,
        raw,
        reason: `task of episode ${task.episode_id}, worker is in ${o.episodeId}`,
        by,
        at: o.clock.now(),
      },
      o.hooks,
    );
    return false;
  }
  const started = o.clock.now();
  emit(o.hooks, { type: 'task-start', id: o.workerId, taskId: task.task_id, at: started });
  const outcome = await work(task, o.clock, o.signal);
  if (outcome === null) return false; // aborted mid-task: the task stays in the processing list
  const finished = o.clock.now();
  const result = resultFor(task, { started, finished, processing: outcome.processing, workerId: o.workerId });
  const reply = (await completeAndTakeScript.run(
    conn,
    [processing, names.result, names.worker],
    [raw, encodeMessage(result), running() ? '1' : '0'],
  )) as [number, number, string?];
  if (reply[1] === 1 && typeof reply[2] === 'string') state.next = reply[2];
  emit(o.hooks, { type: 'task-done', id: o.workerId, taskId: task.task_id, at: finished, counted: reply[0] === 1 });
  return true;
}
