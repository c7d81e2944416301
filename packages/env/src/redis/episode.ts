/**
 * One episode of a farm that lives in Redis, as both real backends (local, openfaas) drive it:
 * the program clock, the step boundaries on it, and the WindowMetrics read from Redis at each
 * one. What differs between the backends — which workers exist, how many are ready, how their
 * time is counted — comes from the backend as a WorkerView.
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, type QueueNames, type WindowMetrics } from '@autofarm/core';
import type { ProgramClock } from '@autofarm/farm';
import { OutputHistory, readCounters } from './metrics.js';
import { withTimeout } from './wait.js';

/** Real ms without an answer from Redis after which a step fails instead of waiting on. */
export const REDIS_GONE_MS = 30_000;

/** A backend's workers at the moment the counters are read. */
export interface WorkerView {
  /** Worker ids whose processing lists are read (a non-empty one is a busy worker). */
  ids: readonly string[];
  /** The backend's counts at program time `now`, just after the counters were read. */
  at(now: number): { workers: number; readyWorkers: number; workerSeconds: number };
}

export interface RedisEpisodeOptions {
  conn: Redis;
  names: QueueNames;
  clock: ProgramClock;
  /** Tasks the episode's workload will emit (workload's episodeWorkload). */
  tasksPlanned: number;
  /** Where Redis is ("host:port"), for the error when it stops answering. */
  where: string;
  workers: () => WorkerView | Promise<WorkerView>;
}

export class RedisEpisode {
  /** Output records collected so far, read incrementally. */
  readonly history = new OutputHistory();
  /** Result messages the collector saw again for an already judged id (as of the last reading). */
  duplicates = 0;
  readonly clock: ProgramClock;
  private stepEnd = 0;

  constructor(private readonly options: RedisEpisodeOptions) {
    this.clock = options.clock;
  }

  /**
   * Sleep to the end of the next step, then read the metrics of the last `window` seconds.
   * Steps are laid end to end on the program clock (step k ends at k·duration), so a slow
   * reading does not push later steps back; after a stall longer than a step the next one
   * ends at once.
   */
  async advance(duration: number, window: number): Promise<WindowMetrics> {
    this.stepEnd = Math.max(this.stepEnd + duration, this.clock.now());
    await this.clock.sleepUntil(this.stepEnd);
    return this.metrics(window);
  }

  /** WindowMetrics now: queue lengths and counters in one pipeline, the window from the output history. */
  async metrics(window: number): Promise<WindowMetrics> {
    const { conn, names, where } = this.options;
    const view = await this.options.workers();
    // Commands wait through a Redis restart; one that is gone for good must not hang the episode.
    const counters = await withTimeout(readCounters(conn, names, view.ids), REDIS_GONE_MS, 'redis').catch((error: unknown) => {
      throw new BackendUnavailableError(`lost Redis at ${where}: no answer for ${REDIS_GONE_MS / 1000} s`, { cause: error });
    });
    const now = this.clock.now();
    await this.history.update(conn, names, counters.outputLength);
    this.duplicates = counters.duplicates;
    let busy = 0;
    for (const n of counters.processing.values()) if (n > 0) busy++;
    const { workers, readyWorkers, workerSeconds } = view.at(now);
    return {
      time: now,
      phasesPending: counters.phasesPending,
      workerQueue: counters.workerQueue,
      resultQueue: counters.resultQueue,
      collectedTotal: counters.collectedTotal,
      metTotal: counters.metTotal,
      workers,
      readyWorkers,
      busyWorkers: busy,
      enqueuedTotal: counters.enqueuedTotal,
      tasksPlanned: this.options.tasksPlanned,
      generationDone: counters.generationDone,
      window: this.history.window(now, window),
      workerSeconds,
      deadLetters: counters.deadLetters,
    };
  }
}
