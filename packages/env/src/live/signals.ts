/**
 * The live signals a controller reads from the farm's Redis at each tick, the same ones an
 * episode reads (../redis/metrics.ts readCounters): queue lengths and counters in one pipeline,
 * busy workers from the processing lists of the registered workers, and the collector's
 * results of the last window. No episode bookkeeping: nothing is reset or cleared.
 */
import type { Redis } from 'ioredis';
import type { QueueNames, WindowMetrics } from '@autofarm/core';
import { readCounters } from '../redis/metrics.js';
import { RollingOutputs } from './outputs.js';
import type { TargetStatus } from './scale-target.js';

export class LiveSignals {
  private readonly outputs: RollingOutputs;

  constructor(
    private readonly conn: Redis,
    private readonly names: QueueNames,
    /** Program seconds of results the policies see (episode.observation_window). */
    private readonly window: number,
  ) {
    // Keep a few windows: results can be collected a little out of order.
    this.outputs = new RollingOutputs(window * 4);
  }

  /** WindowMetrics at program time `now`, the target's counts folded in (workerSeconds is not tracked live: 0). */
  async read(now: number, target: TargetStatus): Promise<WindowMetrics> {
    const ids = await this.conn.smembers(this.names.workerRegistry);
    const c = await readCounters(this.conn, this.names, ids);
    await this.outputs.update(this.conn, this.names, c.outputLength, now);
    let busy = 0;
    for (const n of c.processing.values()) if (n > 0) busy++;
    return {
      time: now,
      phasesPending: c.phasesPending,
      workerQueue: c.workerQueue,
      resultQueue: c.resultQueue,
      collectedTotal: c.collectedTotal,
      metTotal: c.metTotal,
      workers: target.workers,
      readyWorkers: target.ready,
      busyWorkers: busy,
      enqueuedTotal: c.enqueuedTotal,
      tasksPlanned: 0,
      generationDone: c.generationDone,
      window: this.outputs.window(now, this.window),
      workerSeconds: 0,
      deadLetters: c.deadLetters,
    };
  }
}
