/**
 * The emitter loop (reference §4.3-§4.5, with §16 items 1, 2, 32 fixed).
 *
 * It follows `episodeWorkload(config, seed)`: the same arrival times and the same tasks the
 * simulator uses for that seed. Arrival i is pushed when program time reaches its time (on the
 * shared clock, so time_scale divides the waits); if the emitter runs late (e.g. Redis was down)
 * it pushes at once and the task's gen timestamp says when it really was created.
 *
 * Each push is one atomic LPUSH + INCR of `worker_queue:enqueued_total`, idempotent per task id;
 * after a reconnect the last few seconds of pushes are repeated (a crash under appendfsync
 * everysec may have lost them), which changes nothing for those Redis kept.
 * The phase configs (§3.5) are put in input_queue at the start and taken out as phases begin, so
 * input_q keeps its meaning. TERMINATE (this episode) on the emitter's control list stops it at
 * once, even mid-phase. When the last task is out and generation has ended, it sets
 * `worker_queue:generation_done`.
 */
import { encodeMessage, queueNames, type Config, type PhaseConfigMessage, type TaskMessage } from '@autofarm/core';
import { episodeWorkload, targetTasks, type PlannedPhase } from '@autofarm/workload';
import { disconnectOnAbort, pause } from './blocking.js';
import type { ProgramClock } from './clock.js';
import { announceReady } from './control.js';
import { emit, type FarmHooks } from './events.js';
import type { RedisFactory } from './redis.js';
import { enqueueScript } from './scripts.js';
import { timelineOf } from './timeline.js';

export interface EmitterOptions {
  redis: RedisFactory;
  config: Pick<Config, 'queues' | 'workload' | 'tasks' | 'calibrated_model'>;
  seed: number;
  episodeId: string;
  clock: ProgramClock;
  signal?: AbortSignal;
  hooks?: FarmHooks;
  emitterId?: string;
}

export interface EmitterExit {
  reason: 'done' | 'terminate' | 'aborted';
  generated: number;
}

/** Reference §3.5: the phase config message of a planned phase. */
export function phaseConfigMessage(planned: PlannedPhase, position: number, workload: Config['workload']): PhaseConfigMessage {
  const { phase } = planned;
  return {
    type: 'phase_config',
    phase_number: position + 1,
    phase_name: phase.name,
    base_rate: workload.base_rate,
    phase_multiplier: phase.multiplier,
    phase_duration: phase.duration,
    window_duration: workload.window_duration,
    target_tasks: targetTasks(phase, workload.base_rate),
    phase_pattern: phase.pattern,
    ...(phase.oscillation
      ? { oscillation_min: phase.oscillation.min, oscillation_max: phase.oscillation.max, oscillation_cycles: phase.oscillation.cycles }
      : {}),
  };
}

/** Task id: episode id and arrival index, so a re-sent push is recognised and ids sort by arrival. */
export function taskId(episodeId: string, index: number): string {
  return `${episodeId}-${String(index).padStart(6, '0')}`;
}

export async function runEmitter(o: EmitterOptions): Promise<EmitterExit> {
  const names = queueNames(o.config.queues);
  const id = o.emitterId ?? 'emitter-1';
  const by = `emitter ${id}`;
  const workload = episodeWorkload(o.config, o.seed);
  const timeline = timelineOf(workload);
  const conn = o.redis(`emitter:${id}`);
  const controlConn = o.redis(`emitter:${id}:control`);
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const undoAbort = disconnectOnAbort(o.signal, [conn, controlConn]);
  let terminated = false;
  let generated = 0;

  try {
    // Phase configs of the phases not started at program time 0, first phase at the consumer (right) end.
    let nextPhase = timeline.phaseStarts.filter((t) => t <= 0).length;
    const phases = workload.plan.phases.map((p, i) => encodeMessage(phaseConfigMessage(p, i, o.config.workload))).slice(nextPhase);
    const setup = conn.multi().del(names.input);
    if (phases.length > 0) setup.lpush(names.input, ...phases);
    await setup.exec();
    const me = { names, role: 'emitter' as const, id, episodeId: o.episodeId, clock: o.clock, hooks: o.hooks };
    const { control } = await announceReady(conn, {
      ...me,
      conn: controlConn,
      running: () => !signal.aborted,
      onTerminate: async () => {
        terminated = true;
        stop.abort();
      },
    });

    // With appendfsync everysec a Redis crash can lose the last ~1 s of acknowledged pushes.
    // After every reconnect, push the last RECENT_MS of tasks again: the push is idempotent
    // per id, so the ones Redis kept are untouched and the lost ones come back.
    const recent = new RecentPushes(RECENT_MS);
    let connectedOnce = false;
    conn.on('ready', () => {
      if (!connectedOnce) {
        connectedOnce = true;
        return;
      }
      void (async () => {
        for (const [id, json] of recent.entries()) {
          await pushTask(conn, names, id, json, signal, (m) => emit(o.hooks, { type: 'error', by, message: m }));
        }
      })();
    });
    if (conn.status === 'ready') connectedOnce = true;

    const startPhasesUntil = async (time: number) => {
      while (nextPhase < timeline.phaseStarts.length && (timeline.phaseStarts[nextPhase] as number) <= time) {
        if (!(await o.clock.sleepUntil(timeline.phaseStarts[nextPhase] as number, signal))) return false;
        await conn.rpop(names.input);
        nextPhase++;
      }
      return true;
    };

    for (let i = 0; i < workload.arrivals.length && !signal.aborted; i++) {
      const arrival = workload.arrivals[i] as { time: number };
      if (!(await startPhasesUntil(arrival.time))) break;
      if (!(await o.clock.sleepUntil(arrival.time, signal))) break;
      const sampled = workload.nextTask();
      const now = o.clock.now();
      const task: TaskMessage = {
        task_id: taskId(o.episodeId, i),
        task_gen_timestamp: now,
        task_application: 'image_processing',
        task_priority: 'normal',
        task_expected_duration: sampled.processingTime,
        task_data_size: sampled.size,
        task_deadline: sampled.deadline,
        task_processing_time_simulated: sampled.processingTime,
        task_emit_timestamp: now,
        task_emit_time: 0,
        task_index: i,
        episode_id: o.episodeId,
      };
      const json = encodeMessage(task);
      const enqueued = await pushTask(conn, names, task.task_id, json, signal, (m) => emit(o.hooks, { type: 'error', by, message: m }));
      if (enqueued === null) break;
      recent.add(task.task_id, json);
      generated++;
      emit(o.hooks, { type: 'pushed', taskId: task.task_id, index: i, at: now, enqueued });
    }

    if (!signal.aborted && (await startPhasesUntil(Infinity)) && (await o.clock.sleepUntil(timeline.generationEnd, signal))) {
      await conn.set(names.generationDone, String(generated));
      emit(o.hooks, { type: 'generation-done', generated, at: o.clock.now() });
    }
    stop.abort();
    controlConn.disconnect();
    await control;
    if (terminated) return { reason: 'terminate', generated };
    return { reason: o.signal?.aborted ? 'aborted' : 'done', generated };
  } finally {
    undoAbort();
    conn.disconnect();
    controlConn.disconnect();
  }
}

/** Real ms of pushes kept for re-assertion: everysec loses at most ~2 s (fsync may lag one more second). */
const RECENT_MS = 5000;

/** The pushes of the last `ms` real milliseconds (id -> JSON). */
class RecentPushes {
  private readonly items: Array<{ id: string; json: string; at: number }> = [];
  constructor(private readonly ms: number) {}
  add(id: string, json: string): void {
    const now = performance.now();
    this.items.push({ id, json, at: now });
    while (this.items.length > 0 && (this.items[0] as { at: number }).at < now - this.ms) this.items.shift();
  }
  entries(): Array<[string, string]> {
    return this.items.map((i) => [i.id, i.json]);
  }
}

/** Push until it succeeds (the push is idempotent) or the emitter is stopped; null if stopped. */
async function pushTask(
  conn: ReturnType<RedisFactory>,
  names: ReturnType<typeof queueNames>,
  id: string,
  json: string,
  signal: AbortSignal,
  onError: (m: string) => void,
): Promise<number | null> {
  for (;;) {
    try {
      return Number(await enqueueScript.run(conn, [names.generatedIds, names.worker, names.enqueuedTotal], [id, json]));
    } catch (error) {
      if (signal.aborted) return null;
      onError(`push ${id}: ${(error as Error).message}`);
      await pause(100);
    }
  }
}
