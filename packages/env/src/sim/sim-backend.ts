/**
 * The `sim` backend: the farm model on a simulated clock. Deterministic: the same seed and
 * the same scaling requests give byte-identical metrics.
 */
import type { Config, FarmForecast, WindowMetrics } from '@autofarm/core';
import type { Backend, EpisodeSpec } from '../backend.js';
import { FarmModel } from './farm-model.js';

export class SimBackend implements Backend {
  readonly deterministic = true;
  private model: FarmModel;
  private config: Config;

  constructor(config: Config) {
    this.config = config;
    this.model = new FarmModel(config);
  }

  async start(spec: EpisodeSpec): Promise<WindowMetrics> {
    if (spec.config !== this.config) {
      this.config = spec.config;
      this.model = new FarmModel(spec.config);
    }
    this.model.start(spec.config, spec.seed, spec.initialWorkers);
    return this.model.metrics(spec.config.episode.observation_window);
  }

  async scale(target: number): Promise<number> {
    const { min_workers, max_workers } = this.config.scaling;
    return this.model.scale(Math.min(max_workers, Math.max(min_workers, target)));
  }

  async advance(duration: number, window: number): Promise<WindowMetrics> {
    this.model.advanceTo(this.model.now + duration);
    return this.model.metrics(window);
  }

  fork(): FarmForecast {
    const model = this.model.fork();
    const { min_workers, max_workers } = this.config.scaling;
    return {
      get time() {
        return model.now;
      },
      scale: (target) => model.scale(Math.min(max_workers, Math.max(min_workers, target))),
      advance: (seconds) => model.advanceTo(model.now + seconds),
      late: () => model.lateTotal(),
      workerSeconds: () => model.metrics(0).workerSeconds,
    };
  }

  async stop(): Promise<void> {}
}
