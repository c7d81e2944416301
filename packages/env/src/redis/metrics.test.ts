import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, type OutputRecord } from '@autofarm/core';
import { startTestFarm, type TestFarm } from '@autofarm/farm/testing';
import { OutputHistory, readCounters } from './metrics.js';

let farm: TestFarm;
beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});

function record(id: string, collectedAt: number, met = true): string {
  const r: OutputRecord = {
    task_id: id,
    task_application: 'image_processing',
    task_gen_timestamp: collectedAt - 1,
    task_emit_time: 0,
    task_emit_timestamp: collectedAt - 1,
    task_deadline: 2,
    task_work_time: 0.9,
    task_work_timestamp: collectedAt - 0.1,
    task_result_data: null,
    task_output_size: null,
    task_collect_timestamp: collectedAt,
    task_collect_time: 0.1,
    task_completion_time: 1,
    task_QoS: met,
    processing_time: 0.8,
  };
  return encodeMessage(r);
}

describe('output history', () => {
  it('keeps every record even when the collector pushes between the length read and the range read', async () => {
    await farm.redis.flushdb();
    const history = new OutputHistory();
    await farm.redis.lpush(farm.names.output, record('a', 1), record('b', 2), record('c', 3));
    await history.update(farm.redis, farm.names, 3);
    // Length read as 3, then two more arrive before the range read.
    await farm.redis.lpush(farm.names.output, record('d', 4), record('e', 5));
    await history.update(farm.redis, farm.names, 3);
    await history.update(farm.redis, farm.names, 5);
    expect(history.records.map((r) => r.task_id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('windows by collection time, oldest first, with latency, deadline, verdict and processing time', async () => {
    await farm.redis.flushdb();
    const history = new OutputHistory();
    await farm.redis.lpush(farm.names.output, record('a', 1), record('b', 5, false), record('c', 9));
    await history.update(farm.redis, farm.names, 3);
    expect(history.window(9, 8)).toEqual([
      { latency: 1, deadline: 2, met: false, processing: 0.8 },
      { latency: 1, deadline: 2, met: true, processing: 0.8 },
    ]);
    expect(history.window(4, 2)).toEqual([]);
  });

  it('re-reads and de-duplicates when the list shrank (writes lost in a Redis crash)', async () => {
    await farm.redis.flushdb();
    const history = new OutputHistory();
    await farm.redis.lpush(farm.names.output, record('a', 1), record('b', 2));
    await history.update(farm.redis, farm.names, 2);
    await farm.redis.del(farm.names.output);
    await farm.redis.lpush(farm.names.output, record('a', 1));
    await history.update(farm.redis, farm.names, 1);
    await farm.redis.lpush(farm.names.output, record('c', 3));
    await history.update(farm.redis, farm.names, 2);
    expect(history.records.map((r) => r.task_id)).toEqual(['a', 'b', 'c']);
  });
});

describe('counters', () => {
  it('reads queue lengths, counters and per-worker processing lists in one go', async () => {
    await farm.redis.flushdb();
    const n = farm.names;
    await farm.redis
      .multi()
      .lpush(n.input, 'p2')
      .lpush(n.worker, 't1', 't2')
      .set(n.enqueuedTotal, 7)
      .set(n.collectedTotal, 4)
      .set(n.metTotal, 3)
      .set(n.generationDone, 7)
      .lpush(n.processing('w1'), 't0')
      .lpush(n.deadLetter, 'x')
      .exec();
    const c = await readCounters(farm.redis, n, ['w1', 'w2']);
    expect(c).toMatchObject({
      phasesPending: 1,
      workerQueue: 2,
      resultQueue: 0,
      enqueuedTotal: 7,
      collectedTotal: 4,
      metTotal: 3,
      generationDone: true,
      deadLetters: 1,
      duplicates: 0,
    });
    expect([...c.processing]).toEqual([
      ['w1', 1],
      ['w2', 0],
    ]);
  });
});
