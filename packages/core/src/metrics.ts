/**
 * WindowMetrics: what every backend reports at the end of a step, and the only thing the
 * observation, reward and episode metrics are computed from. A backend fills it; it never
 * computes observations or rewards itself.
 */
export interface CompletedTask {
  /** End-to-end latency, seconds (collected - generated). */
  latency: number;
  deadline: number;
  /** The collector's verdict: latency <= deadline. */
  met: boolean;
  /** Seconds of pure processing (sampled or measured). */
  processing: number;
  /** Seconds since the episode start at which the task was generated (the simulator knows it; day-split scores need it). */
  arrival?: number;
}

export interface WindowMetrics {
  /** Seconds since the episode started, on the backend's (possibly simulated) clock. */
  time: number;
  /** Phase configs not yet taken by the emitter (observation input_q). */
  phasesPending: number;
  /** Tasks waiting in the worker queue. */
  workerQueue: number;
  /** Results waiting for the collector. */
  resultQueue: number;
  /** Tasks collected so far this episode (observation output_q). */
  collectedTotal: number;
  /** Of those, tasks that met their deadline. */
  metTotal: number;
  /** Workers the actuator has settled on (desired count after clamping). */
  workers: number;
  /** Workers able to take a task now (started and not leaving). */
  readyWorkers: number;
  /** Workers processing a task now. */
  busyWorkers: number;
  /** Tasks generated so far this episode (the emitter's enqueued counter). */
  enqueuedTotal: number;
  /** Tasks this episode generates in all (known from the seed: episodeWorkload's arrivals). */
  tasksPlanned: number;
  /** True once the emitter has generated every task of every phase. */
  generationDone: boolean;
  /** Tasks collected during the last observation window, oldest first. */
  window: CompletedTask[];
  /** Worker-seconds consumed since the episode started (workers counted from scale-up request to exit). */
  workerSeconds: number;
  /** Messages sent to the dead-letter list so far (0 on the simulator). */
  deadLetters: number;
}
