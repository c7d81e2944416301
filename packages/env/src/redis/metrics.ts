/**
 * Reading the farm's WindowMetrics from Redis. Queue lengths and counters come in one pipeline;
 * output records are read incrementally (only those LPUSHed since the last read: O(new) per
 * step instead of the original's LRANGE of the whole list, reference §16 item 39).
 */
import type { Redis } from 'ioredis';
import { decodeOutput, type CompletedTask, type OutputRecord, type QueueNames } from '@autofarm/core';

export interface FarmCounters {
  phasesPending: number;
  workerQueue: number;
  resultQueue: number;
  outputLength: number;
  collectedTotal: number;
  metTotal: number;
  enqueuedTotal: number;
  generationDone: boolean;
  deadLetters: number;
  duplicates: number;
  /** Processing-list length per worker id asked for. */
  processing: Map<string, number>;
}

export async function readCounters(conn: Redis, names: QueueNames, workerIds: readonly string[]): Promise<FarmCounters> {
  const p = conn
    .pipeline()
    .llen(names.input)
    .llen(names.worker)
    .llen(names.result)
    .llen(names.output)
    .get(names.collectedTotal)
    .get(names.metTotal)
    .get(names.enqueuedTotal)
    .exists(names.generationDone)
    .llen(names.deadLetter)
    .get(names.duplicateResults);
  for (const id of workerIds) p.llen(names.processing(id));
  const replies = (await p.exec()) ?? [];
  const value = (i: number): number => {
    const [error, v] = replies[i] ?? [null, 0];
    if (error) throw error;
    return Number(v ?? 0);
  };
  const processing = new Map<string, number>();
  workerIds.forEach((id, i) => processing.set(id, value(10 + i)));
  return {
    phasesPending: value(0),
    workerQueue: value(1),
    resultQueue: value(2),
    outputLength: value(3),
    collectedTotal: value(4),
    metTotal: value(5),
    enqueuedTotal: value(6),
    generationDone: value(7) === 1,
    deadLetters: value(8),
    duplicates: value(9),
    processing,
  };
}

/**
 * The episode's output records in collection order, kept in memory and extended with what the
 * collector pushed since the last `update`. If the list got shorter than what was seen (Redis
 * lost writes in a crash), it re-reads the whole list and keeps each task id once.
 */
export class OutputHistory {
  readonly records: OutputRecord[] = [];
  private readonly ids = new Set<string>();
  private seen = 0;
  malformed = 0;

  async update(conn: Redis, names: QueueNames, length: number): Promise<void> {
    if (length < this.seen) this.seen = 0;
    // LPUSHed: the k-th record ever pushed sits at index -(k+1) however many come after it, so
    // "everything not seen yet" is 0 .. -(seen+1) — exact even if the collector pushes meanwhile.
    const raws = await conn.lrange(names.output, 0, -(this.seen + 1));
    if (raws.length === 0) return;
    this.seen += raws.length;
    const added: OutputRecord[] = [];
    for (const raw of raws.reverse()) {
      const decoded = decodeOutput(raw);
      if (!decoded.ok) {
        this.malformed++;
        continue;
      }
      if (this.ids.has(decoded.value.task_id)) continue;
      this.ids.add(decoded.value.task_id);
      added.push(decoded.value);
    }
    added.sort((a, b) => a.task_collect_timestamp - b.task_collect_timestamp);
    this.records.push(...added);
  }

  /** Tasks collected in (now - window, now], oldest first. */
  window(now: number, window: number): CompletedTask[] {
    const from = now - window;
    const out: CompletedTask[] = [];
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i] as OutputRecord;
      if (r.task_collect_timestamp <= from) break;
      if (r.task_collect_timestamp > now) continue;
      out.push({ latency: r.task_completion_time, deadline: r.task_deadline, met: r.task_QoS, processing: r.processing_time ?? 0 });
    }
    return out.reverse();
  }
}
