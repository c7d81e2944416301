import { describe, expect, it } from 'vitest';
import { parseConfig } from './config/load.js';
import {
  decodeControl,
  decodeDeadLetter,
  decodeOutput,
  decodeResult,
  decodeTask,
  encodeMessage,
  episodeKeys,
  outputFor,
  queueNames,
  resultFor,
  type TaskMessage,
} from './protocol.js';

const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 10 }] } });

const task: TaskMessage = {
  task_id: 'ep-000001',
  task_gen_timestamp: 10,
  task_application: 'image_processing',
  task_priority: 'normal',
  task_expected_duration: 0.72,
  task_data_size: 2048,
  task_deadline: 1.44,
  task_processing_time_simulated: 0.72,
  task_emit_timestamp: 10,
  task_emit_time: 0,
  task_index: 1,
  episode_id: 'ep',
};

describe('queue names', () => {
  it('come from config.queues with the original defaults', () => {
    const q = queueNames(config.queues);
    expect(q.worker).toBe('worker_queue');
    expect(q.enqueuedTotal).toBe('worker_queue:enqueued_total');
    expect(q.deadLetter).toBe('dead_letter_queue');
    expect(q.processing('w1')).toBe('worker_queue:processing:w1');
    expect(q.workerControl('w1')).toBe('worker_control_syn_queue:w1');
  });

  it('follow renamed queues, and the clearing list names every fixed key once', () => {
    const renamed = parseConfig({ ...config, queues: { worker: 'jobs' } });
    const q = queueNames(renamed.queues);
    expect(q.enqueuedTotal).toBe('jobs:enqueued_total');
    expect(q.perWorkerPatterns).toContain('jobs:processing:*');
    const keys = episodeKeys(q);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('jobs');
  });
});

describe('message codecs', () => {
  it('round-trip a task, its result and the output record', () => {
    const decoded = decodeTask(encodeMessage(task));
    expect(decoded).toEqual({ ok: true, value: task });
    const result = resultFor(task, { started: 10.001, finished: 10.75, processing: 0.72, workerId: 'w1' });
    expect(result.task_work_time).toBeCloseTo(0.75, 12);
    expect(decodeResult(encodeMessage(result))).toEqual({ ok: true, value: result });
    const output = outputFor(result, 11);
    expect(output.task_completion_time).toBe(1);
    expect(output.task_QoS).toBe(true);
    expect(output.task_collect_time).toBeCloseTo(0.25, 12);
    expect(decodeOutput(encodeMessage(output))).toEqual({ ok: true, value: output });
  });

  it('judges a task late when the latency passes the deadline', () => {
    const result = resultFor(task, { started: 10, finished: 11, processing: 0.72, workerId: 'w1' });
    const output = outputFor(result, 11.5);
    expect(output.task_completion_time).toBe(1.5);
    expect(output.task_QoS).toBe(false);
  });

  it('decodes an original-shaped task without the added fields', () => {
    const { task_index: _i, episode_id: _e, ...original } = task;
    expect(decodeTask(JSON.stringify(original)).ok).toBe(true);
  });

  it('returns a reason instead of throwing on malformed text', () => {
    const notJson = decodeTask('{oops');
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(notJson.reason).toMatch(/not JSON/);
    const wrongApp = decodeTask(JSON.stringify({ ...task, task_application: 'matrix' }));
    expect(wrongApp.ok).toBe(false);
    if (!wrongApp.ok) expect(wrongApp.reason).toMatch(/task_application/);
    const missing = decodeResult(JSON.stringify({ task_id: 'x' }));
    expect(missing.ok).toBe(false);
    expect(decodeTask('null').ok).toBe(false);
    expect(decodeTask('').ok).toBe(false);
  });

  it('tells SYN, ACK and START apart and keeps the correlation id', () => {
    const syn = {
      type: 'SCALE_DOWN',
      action: 'SYN',
      message: 'leave',
      SYN_timestamp: 3,
      correlation_id: 'c1',
      target: 'w2',
      episode_id: 'ep',
      expires_at: 63,
    };
    const ack = {
      type: 'SCALE_DOWN',
      action: 'ACK',
      ack_timestamp: 4,
      task_id: 'c1',
      correlation_id: 'c1',
      pod_name: 'w2',
      message: 'bye',
    };
    const start = { type: 'START', action: 'SYNC', start_timestamp: '0.01', pod_name: 'w2', message: 'up' };
    const s = decodeControl(JSON.stringify(syn));
    const a = decodeControl(JSON.stringify(ack));
    const st = decodeControl(JSON.stringify(start));
    expect(s.ok && s.value.action).toBe('SYN');
    expect(s.ok && 'target' in s.value && s.value.target).toBe('w2');
    expect(a.ok && a.value.action === 'ACK' && a.value.correlation_id).toBe('c1');
    expect(st.ok && st.value.type).toBe('START');
    expect(decodeControl(JSON.stringify({ type: 'SCALE_DOWN', action: 'SYN', message: '', SYN_timestamp: 1 })).ok).toBe(false);
  });

  it('validates dead letters', () => {
    const dl = { reason: 'not JSON', source: 'worker_queue', payload: '{oops', at: 1.5, by: 'worker w1' };
    expect(decodeDeadLetter(JSON.stringify(dl))).toEqual({ ok: true, value: dl });
  });
});
