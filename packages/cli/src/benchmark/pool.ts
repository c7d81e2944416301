/**
 * Runs benchmark (or tune) jobs on `jobs` worker threads (or in-process for 1), biggest first so
 * the 10x farm does not finish last on one core. Results come back keyed by job id, so the caller
 * assembles them in a fixed order whatever finished first.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EpisodeRecord } from '@autofarm/env';
import { runPoolJob, type PoolJob } from './jobs.js';
import type { WorkerMessage } from './worker.js';

/** The compiled worker (tests run the sources, whose sibling worker.js exists only under dist/). */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? here.replace(/\/src\/benchmark\/pool\.ts$/, '/dist/benchmark/worker.js')
    : here.replace(/pool\.js$/, 'worker.js');
}

export interface PoolOptions<J extends PoolJob> {
  jobs: number;
  /** Relative cost of a job, for ordering (largest first). */
  cost: (job: J) => number;
  onEpisode?: () => void;
  /** Ctrl-C: no job starts after it, running jobs end after their current episode (with the records so far). */
  signal?: AbortSignal;
}

/** R: what one job returns (EpisodeRecord for a benchmark job, TuneEpisode for a tune job). */
export async function runPool<J extends PoolJob = PoolJob, R = EpisodeRecord>(
  list: readonly J[],
  options: PoolOptions<J>,
): Promise<Map<number, R[]>> {
  const order = [...list].sort((a, b) => options.cost(b) - options.cost(a) || a.id - b.id);
  const results = new Map<number, R[]>();
  if (options.jobs <= 1) {
    for (const job of order) {
      if (options.signal?.aborted) break;
      results.set(job.id, (await runPoolJob(job, options.onEpisode, options.signal)) as R[]);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(options.jobs, order.length) }, () => new Worker(workerFile()));
  const stopAll = () => {
    for (const w of workers) w.postMessage('stop');
  };
  options.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              const job = options.signal?.aborted ? undefined : order[next++];
              if (job) worker.postMessage(job);
              else resolve();
            };
            worker.on('message', (m: WorkerMessage) => {
              if (m.type === 'episode') options.onEpisode?.();
              else if (m.type === 'done') {
                results.set(m.id, m.records as R[]);
                feed();
              } else reject(new Error(`benchmark job ${m.id} failed in a worker thread: ${m.message}`));
            });
            worker.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', stopAll);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
