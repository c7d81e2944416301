/**
 * The farm protocol over Redis: key names and message codecs (reference §3), shared by the
 * emitter / worker / collector loops, the local and openfaas backends and the functions.
 *
 * Field names are the original's (§3.6-§3.9) so records stay comparable. Additions, all
 * optional on the wire so an original-shaped message still decodes:
 * - task / result / output carry `task_index` (arrival order) and `episode_id`;
 * - result / output carry `task_start_timestamp` (program time the worker started the task:
 *   dispatch overhead = start - emit) and `worker_id`; output keeps `processing_time`;
 * - control messages carry `correlation_id`, and SYNs also `target` (one worker id),
 *   `episode_id` and `expires_at`, so a stale SYN can never stop another worker (§16 item 30).
 *
 * Decoding never throws: it returns `{ ok: false, reason }`, and the loops put the raw text
 * with that reason on the dead-letter list and go on (§16 item 31).
 */
import { z } from 'zod';
import type { Config } from './config/schema.js';

/** Every Redis key the farm uses for one configuration. */
export interface QueueNames {
  input: string;
  worker: string;
  result: string;
  output: string;
  emitterControl: string;
  /** Prefix of the per-worker control lists (see `workerControl`); the original's shared list name. */
  workerControlSyn: string;
  workerControlAck: string;
  collectorControl: string;
  emitterStart: string;
  workerStart: string;
  collectorStart: string;
  deadLetter: string;
  /** Tasks ever pushed this episode (the original's `worker_queue:enqueued_total`). */
  enqueuedTotal: string;
  /** Set of task ids the emitter has pushed: makes a re-sent push a no-op. */
  generatedIds: string;
  /** Set once the emitter has pushed its last task (value: the count). */
  generationDone: string;
  /** Set of task ids the collector has judged: each id counts once. */
  collectedIds: string;
  collectedTotal: string;
  metTotal: string;
  /** Results the collector saw again for an already judged id. */
  duplicateResults: string;
  /** Set of worker ids that announced themselves (the reaper's work list). */
  workerRegistry: string;
  /** The collector's own processing list (a result it took but has not judged yet). */
  collectorProcessing: string;
  /** The worker's processing list: tasks it took and has not finished. */
  processing(workerId: string): string;
  /** Key that exists while the worker is alive (refreshed with a TTL). */
  heartbeat(workerId: string): string;
  /** The worker's own control list: SYNs addressed to it alone. */
  workerControl(workerId: string): string;
  /** Key patterns (for SCAN MATCH) of the per-worker keys, for clearing. */
  perWorkerPatterns: string[];
}

export function queueNames(queues: Config['queues']): QueueNames {
  const w = queues.worker;
  return {
    input: queues.input,
    worker: w,
    result: queues.result,
    output: queues.output,
    emitterControl: queues.emitter_control_syn,
    workerControlSyn: queues.worker_control_syn,
    workerControlAck: queues.worker_control_ack,
    collectorControl: queues.collector_control_syn,
    emitterStart: queues.emitter_start,
    workerStart: queues.worker_start,
    collectorStart: queues.collector_start,
    deadLetter: queues.dead_letter,
    enqueuedTotal: `${w}:enqueued_total`,
    generatedIds: `${w}:generated_ids`,
    generationDone: `${w}:generation_done`,
    collectedIds: `${queues.output}:collected_ids`,
    collectedTotal: `${queues.output}:collected_total`,
    metTotal: `${queues.output}:met_total`,
    duplicateResults: `${queues.output}:duplicate_results`,
    workerRegistry: `${w}:workers`,
    collectorProcessing: `${queues.result}:processing`,
    processing: (id) => `${w}:processing:${id}`,
    heartbeat: (id) => `${w}:heartbeat:${id}`,
    workerControl: (id) => `${queues.worker_control_syn}:${id}`,
    perWorkerPatterns: [`${w}:processing:*`, `${w}:heartbeat:*`, `${queues.worker_control_syn}:*`],
  };
}

/** Every fixed key of one episode: DEL these (and the per-worker patterns) to clear the farm. */
export function episodeKeys(names: QueueNames): string[] {
  return [
    names.input,
    names.worker,
    names.result,
    names.output,
    names.emitterControl,
    names.workerControlSyn,
    names.workerControlAck,
    names.collectorControl,
    names.emitterStart,
    names.workerStart,
    names.collectorStart,
    names.deadLetter,
    names.enqueuedTotal,
    names.generatedIds,
    names.generationDone,
    names.collectedIds,
    names.collectedTotal,
    names.metTotal,
    names.duplicateResults,
    names.workerRegistry,
    names.collectorProcessing,
  ];
}

const time = z.number().finite();
const optionalId = z.string().min(1).optional();

/** Reference §3.6 task message (worker_queue). */
export const taskMessageSchema = z.object({
  task_id: z.string().min(1),
  task_gen_timestamp: time,
  task_application: z.literal('image_processing'),
  task_priority: z.string(),
  task_expected_duration: z.number().nonnegative(),
  task_data_size: z.number().int().positive(),
  task_deadline: z.number().nonnegative(),
  task_processing_time_simulated: z.number().nonnegative(),
  task_emit_timestamp: time,
  task_emit_time: z.number(),
  task_index: z.number().int().nonnegative().optional(),
  episode_id: optionalId,
});
export type TaskMessage = z.infer<typeof taskMessageSchema>;

/** Reference §3.7 result message (result_queue). */
export const resultMessageSchema = z.object({
  task_id: z.string().min(1),
  task_application: z.string(),
  task_priority: z.string(),
  task_gen_timestamp: time,
  task_deadline: z.number().nonnegative(),
  task_emit_time: z.number(),
  task_emit_timestamp: time,
  task_work_timestamp: time,
  task_work_time: z.number(),
  processing_time: z.number().nonnegative(),
  /** The task's simulated (model) time, next to the measured processing_time (image work mode). */
  processing_time_simulated: z.number().nonnegative().optional(),
  image_size: z.number().int().positive(),
  status: z.literal('completed'),
  task_start_timestamp: time.optional(),
  task_index: z.number().int().nonnegative().optional(),
  worker_id: optionalId,
  episode_id: optionalId,
});
export type ResultMessage = z.infer<typeof resultMessageSchema>;

/** Reference §3.8 output record (output_queue), judged by the collector. */
export const outputRecordSchema = z.object({
  task_id: z.string().min(1),
  task_application: z.string(),
  task_gen_timestamp: time,
  task_emit_time: z.number(),
  task_emit_timestamp: time,
  task_deadline: z.number().nonnegative(),
  task_work_time: z.number(),
  task_work_timestamp: time,
  task_result_data: z.null(),
  task_output_size: z.null(),
  task_collect_timestamp: time,
  task_collect_time: z.number(),
  task_completion_time: z.number(),
  task_QoS: z.boolean(),
  processing_time: z.number().nonnegative().optional(),
  processing_time_simulated: z.number().nonnegative().optional(),
  task_start_timestamp: time.optional(),
  task_index: z.number().int().nonnegative().optional(),
  worker_id: optionalId,
  episode_id: optionalId,
});
export type OutputRecord = z.infer<typeof outputRecordSchema>;

/** START: every role announces itself once on its start queue. */
export const startMessageSchema = z.object({
  type: z.literal('START'),
  action: z.literal('SYNC'),
  /** Program time as a string, as the original sent it. */
  start_timestamp: z.string(),
  pod_name: z.string(),
  message: z.string(),
  episode_id: optionalId,
});
export type StartMessage = z.infer<typeof startMessageSchema>;

/** SYN: SCALE_DOWN (one named worker) or TERMINATE. */
export const synMessageSchema = z.object({
  type: z.enum(['SCALE_DOWN', 'TERMINATE']),
  action: z.literal('SYN'),
  message: z.string(),
  SYN_timestamp: time,
  correlation_id: z.string().min(1),
  /** The worker id the SYN is for (SCALE_DOWN: required; TERMINATE: optional). */
  target: optionalId,
  episode_id: optionalId,
  /** Program time after which the SYN is void. */
  expires_at: time.optional(),
});
export type SynMessage = z.infer<typeof synMessageSchema>;

/** ACK of a SCALE_DOWN, correlated with its SYN. */
export const ackMessageSchema = z.object({
  type: z.literal('SCALE_DOWN'),
  action: z.literal('ACK'),
  ack_timestamp: time,
  /** The original copied a (null) task_id here; we copy the SYN's correlation id. */
  task_id: z.string().nullable(),
  correlation_id: z.string().min(1),
  pod_name: z.string(),
  message: z.string(),
  episode_id: optionalId,
});
export type AckMessage = z.infer<typeof ackMessageSchema>;

export const controlMessageSchema = z.union([synMessageSchema, ackMessageSchema, startMessageSchema]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** Reference §3.5 phase config (input_queue): one per phase not yet started. */
export const phaseConfigSchema = z.object({
  type: z.literal('phase_config'),
  phase_number: z.number().int().positive(),
  phase_name: z.string(),
  base_rate: z.number().nonnegative(),
  phase_multiplier: z.number().nonnegative(),
  phase_duration: z.number().positive(),
  window_duration: z.number().positive(),
  target_tasks: z.number().int().nonnegative(),
  phase_pattern: z.string(),
  oscillation_min: z.number().optional(),
  oscillation_max: z.number().optional(),
  oscillation_cycles: z.number().optional(),
});
export type PhaseConfigMessage = z.infer<typeof phaseConfigSchema>;

/** A message a loop could not use, with why (dead_letter_queue). */
export const deadLetterSchema = z.object({
  reason: z.string(),
  /** The list the message was taken from. */
  source: z.string(),
  /** The raw text as it was found. */
  payload: z.string(),
  /** Program time of the rejection. */
  at: time,
  /** Who rejected it (role and id). */
  by: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** JSON text -> validated message, or the reason it is not one. Never throws. */
export function decodeWith<T>(schema: z.ZodType<T>, text: string): Decoded<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(message)'}: ${i.message}`);
  return { ok: false, reason: `invalid message: ${first.join('; ')}` };
}

export const decodeTask = (text: string): Decoded<TaskMessage> => decodeWith(taskMessageSchema, text);
export const decodeResult = (text: string): Decoded<ResultMessage> => decodeWith(resultMessageSchema, text);
export const decodeOutput = (text: string): Decoded<OutputRecord> => decodeWith(outputRecordSchema, text);
export const decodeControl = (text: string): Decoded<ControlMessage> => decodeWith(controlMessageSchema, text);
export const decodePhaseConfig = (text: string): Decoded<PhaseConfigMessage> => decodeWith(phaseConfigSchema, text);
export const decodeDeadLetter = (text: string): Decoded<DeadLetter> => decodeWith(deadLetterSchema, text);

/** Messages are plain JSON; encoding is one place so the codecs stay symmetric. */
export function encodeMessage(
  message: TaskMessage | ResultMessage | OutputRecord | ControlMessage | PhaseConfigMessage | DeadLetter,
): string {
  return JSON.stringify(message);
}

/** The result a worker sends for `task` (reference §3.7): work time = finished - emitted. */
export function resultFor(
  task: TaskMessage,
  work: { started: number; finished: number; processing: number; workerId: string },
): ResultMessage {
  return {
    task_id: task.task_id,
    task_application: task.task_application,
    task_priority: task.task_priority,
    task_gen_timestamp: task.task_gen_timestamp,
    task_deadline: task.task_deadline,
    task_emit_time: task.task_emit_time,
    task_emit_timestamp: task.task_emit_timestamp,
    task_work_timestamp: work.finished,
    task_work_time: work.finished - task.task_emit_timestamp,
    processing_time: work.processing,
    processing_time_simulated: task.task_processing_time_simulated,
    image_size: task.task_data_size,
    status: 'completed',
    task_start_timestamp: work.started,
    ...(task.task_index === undefined ? {} : { task_index: task.task_index }),
    worker_id: work.workerId,
    ...(task.episode_id === undefined ? {} : { episode_id: task.episode_id }),
  };
}

/** The collector's verdict (reference §3.8): latency = collected - generated; met iff deadline >= latency. */
export function outputFor(result: ResultMessage, collectedAt: number): OutputRecord {
  const completion = collectedAt - result.task_gen_timestamp;
  const { task_start_timestamp, task_index, worker_id, episode_id } = result;
  return {
    task_id: result.task_id,
    task_application: result.task_application,
    task_gen_timestamp: result.task_gen_timestamp,
    task_emit_time: result.task_emit_time,
    task_emit_timestamp: result.task_emit_timestamp,
    task_deadline: result.task_deadline,
    task_work_time: result.task_work_time,
    task_work_timestamp: result.task_work_timestamp,
    task_result_data: null,
    task_output_size: null,
    task_collect_timestamp: collectedAt,
    task_collect_time: collectedAt - result.task_work_timestamp,
    task_completion_time: completion,
    task_QoS: result.task_deadline >= completion,
    processing_time: result.processing_time,
    ...(result.processing_time_simulated === undefined ? {} : { processing_time_simulated: result.processing_time_simulated }),
    ...(task_start_timestamp === undefined ? {} : { task_start_timestamp }),
    ...(task_index === undefined ? {} : { task_index }),
    ...(worker_id === undefined ? {} : { worker_id }),
    ...(episode_id === undefined ? {} : { episode_id }),
  };
}
