import { describe, expect, it } from 'vitest';
import type { OutputRecord } from '@autofarm/core';
import { measureOverheads } from './fidelity.js';

function rec(id: string, worker: string, emit: number, start: number, processing: number, work: number, collect: number): OutputRecord {
  return {
    task_id: id,
    task_application: 'image_processing',
    task_gen_timestamp: emit,
    task_emit_time: 0,
    task_emit_timestamp: emit,
    task_deadline: 10,
    task_work_time: work - emit,
    task_work_timestamp: work,
    task_result_data: null,
    task_output_size: null,
    task_collect_timestamp: collect,
    task_collect_time: collect - work,
    task_completion_time: collect - emit,
    task_QoS: true,
    processing_time: processing,
    task_start_timestamp: start,
    worker_id: worker,
  };
}

describe('measureOverheads', () => {
  it("splits a worker's per-task overhead into hold overrun and back-to-back gap, and measures the collect hop", () => {
    const records = [
      // w1: task a, then b which was queued before a finished (back to back: gap 0.02).
      rec('a', 'w1', 0, 0.001, 1, 1.011, 1.021),
      rec('b', 'w1', 0.5, 1.031, 1, 2.041, 2.051),
      // w2: c arrives after w2 was idle: not back to back.
      rec('c', 'w2', 3, 3.001, 1, 4.011, 4.021),
      rec('d', 'w2', 5, 5.001, 1, 6.011, 6.021),
    ];
    const o = measureOverheads(records);
    expect(o.tasks).toBe(4);
    expect(o.backToBack).toBe(1);
    expect(o.overrun).toBeCloseTo(0.01, 9);
    expect(o.gap).toBeCloseTo(0.02, 9);
    expect(o.collect).toBeCloseTo(0.01, 9);
  });
});
