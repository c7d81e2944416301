/**
 * The collector's results as a live controller reads them: only what was pushed since the last
 * read (the output list is LPUSHed, so the k-th record ever pushed sits at index -(k+1), as in
 * ../redis/metrics.ts), and only the last `keep` program seconds kept in memory, so a
 * controller that runs for weeks holds a few windows of records, not the whole history.
 */
import type { Redis } from 'ioredis';
import { decodeOutput, type CompletedTask, type QueueNames } from '@autofarm/core';

interface Kept extends CompletedTask {
  collectedAt: number;
}

export class RollingOutputs {
  private kept: Kept[] = [];
  private seen = 0;
  malformed = 0;

  constructor(private readonly keep: number) {}

  /** Read what the collector pushed since the last call; `length` is LLEN(output) just read. */
  async update(conn: Redis, names: QueueNames, length: number, now: number): Promise<void> {
    // A shorter list than seen: the farm was restarted (keys cleared) or Redis lost writes.
    if (length < this.seen) [this.seen, this.kept] = [0, []];
    if (length > this.seen) {
      const raws = await conn.lrange(names.output, 0, -(this.seen + 1));
      this.seen += raws.length;
      for (const raw of raws.reverse()) {
        const decoded = decodeOutput(raw);
        if (!decoded.ok) {
          this.malformed++;
          continue;
        }
        const r = decoded.value;
        this.kept.push({
          collectedAt: r.task_collect_timestamp,
          latency: r.task_completion_time,
          deadline: r.task_deadline,
          met: r.task_QoS,
          processing: r.processing_time ?? 0,
        });
      }
      this.kept.sort((a, b) => a.collectedAt - b.collectedAt);
    }
    const from = now - this.keep;
    const first = this.kept.findIndex((k) => k.collectedAt > from);
    this.kept = first < 0 ? [] : this.kept.slice(first);
  }

  /** Tasks collected in (now - window, now], oldest first. */
  window(now: number, window: number): CompletedTask[] {
    return this.kept
      .filter((k) => k.collectedAt > now - window && k.collectedAt <= now)
      .map(({ latency, deadline, met, processing }) => ({ latency, deadline, met, processing }));
  }
}
