/**
 * The Backend contract: the four things a farm backend does, and nothing else. Observation,
 * reward and termination are computed by FarmEnv from the WindowMetrics a backend returns, so
 * every backend shares them unchanged. Policies never see a backend.
 */
import type { Config, FarmForecast, WindowMetrics } from '@autofarm/core';

export interface EpisodeSpec {
  /** The episode seed: the workload (phase order, arrivals, tasks) follows from it alone (workload's episodeWorkload). */
  seed: number;
  config: Config;
  initialWorkers: number;
}

export interface Backend {
  /** Same seed and actions give the same metrics (true only for sim). */
  readonly deterministic: boolean;
  /** Empty the queues, start `initialWorkers` workers and the emitter; the episode clock starts at 0. */
  start(spec: EpisodeSpec): Promise<WindowMetrics>;
  /**
   * Ask for `target` workers. The actuator clamps to [min_workers, max_workers] and returns the
   * count it settled on (scale-up may take effect later: cold start; scale-down is graceful).
   */
  scale(target: number): Promise<number>;
  /** Let `duration` seconds of farm time pass, then report the metrics of the last `window` seconds. */
  advance(duration: number, window: number): Promise<WindowMetrics>;
  /** A copy of the farm as it is now that runs on the episode's realized future (sim only: hindsight's model). */
  fork?(): FarmForecast;
  /** Stop the farm and release everything (processes, connections). Safe to call twice. */
  stop(): Promise<void>;
}
