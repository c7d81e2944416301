/** Worker-thread entry of the benchmark pool: runs the jobs it is sent (benchmark or tune), one at a time. */
import { parentPort } from 'node:worker_threads';
import { runPoolJob, type PoolJob } from './jobs.js';

export type WorkerMessage =
  { type: 'episode'; id: number } | { type: 'done'; id: number; records: unknown[] } | { type: 'error'; id: number; message: string };

const port = parentPort;
if (!port) throw new Error('benchmark worker: start me with new Worker(...)');
/** Aborted by a 'stop' message (Ctrl-C in the parent): the running job ends after its current episode. */
const stop = new AbortController();
port.on('message', (job: PoolJob | 'stop') => {
  if (job === 'stop') {
    stop.abort();
    return;
  }
  runPoolJob(job, () => port.postMessage({ type: 'episode', id: job.id } satisfies WorkerMessage), stop.signal)
    .then((records) => port.postMessage({ type: 'done', id: job.id, records } satisfies WorkerMessage))
    .catch((error: unknown) =>
      port.postMessage({
        type: 'error',
        id: job.id,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerMessage),
    );
});
