/**
 * The original-mode run of `autofarm train-dqn` (the prototype's experiment): the one training
 * harness (harness.ts, which lists the run directory's files) with the DQN trainer in the
 * ORIGINAL setting; models/dqn_final/ in tfjs layers format. Tests call it too.
 */
import type { Config } from '@autofarm/core';
import type { EvaluationCheckpoint, ProgressMode, TrainingEpisode } from '@autofarm/runs';
import { runTraining } from './harness.js';
import { ORIGINAL } from './setting.js';
import { dqnTrainer } from './dqn-trainer.js';

export interface TrainDqnRunOptions {
  /** Resolved configuration (flags applied); config.dqn holds the hyper-parameters, config.seed the seed. */
  config: Config;
  episodes?: number;
  /** Greedy evaluation episodes per checkpoint and at the end (0 disables). Default 5. */
  evalEpisodes?: number;
  /** Save and evaluate every N episodes (0 disables). Default 10. */
  checkpointEvery?: number;
  /** Run directory (default runs/dqn_run_<UTC timestamp>). */
  out?: string;
  tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  progress?: ProgressMode | 'auto';
  /** Stops training after the current episode (Ctrl-C); the model is saved as dqn_interrupt. */
  signal?: AbortSignal;
  /** Called after every episode's metrics (and checkpoint) are done. */
  onEpisode?: (row: TrainingEpisode) => void;
  argv?: readonly string[];
}

export interface TrainDqnRunResult {
  dir: string;
  modelDir: string;
  training: TrainingEpisode[];
  evaluation: EvaluationCheckpoint[];
  episodesCompleted: number;
  totalSteps: number;
  updates: number;
  wallSeconds: number;
  tfBackend: string;
  interrupted: boolean;
  /**
   * Resident set size (MB) and live tfjs tensors before training, after the first episode with
   * gradient updates (replay, both networks and Adam's moments all exist: the baseline for
   * "flat"), and after the last episode; the JS heap in use at the last two. When node runs with
   * --expose-gc a full collection runs first, so the figures are live memory, not garbage V8 has
   * not collected yet.
   */
  memory: {
    rssMbBefore: number;
    rssMbStart: number;
    rssMbEnd: number;
    heapMbStart: number;
    heapMbEnd: number;
    tensorsStart: number;
    tensorsEnd: number;
    gcExposed: boolean;
  };
}

export async function trainDqnRun(options: TrainDqnRunOptions): Promise<TrainDqnRunResult> {
  const { config } = options;
  const trainer = await dqnTrainer(config, ORIGINAL, options.tfBackend ? { tfBackend: options.tfBackend } : {});
  const r = await runTraining({
    config,
    trainer,
    episodes: options.episodes ?? config.dqn.episodes,
    evalEpisodes: options.evalEpisodes ?? 5,
    checkpointEvery: options.checkpointEvery ?? 10,
    stepLogEvery: 1,
    header: [`dqn block: ${JSON.stringify(config.dqn)}`],
    ...(options.out ? { out: options.out } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEpisode ? { onEpisode: options.onEpisode } : {}),
    ...(options.argv ? { argv: options.argv } : {}),
  });
  const s = r.summary as { updates: number; tf_backend: string; memory: TrainDqnRunResult['memory'] };
  return {
    dir: r.dir,
    modelDir: r.model,
    training: r.training,
    evaluation: r.evaluation,
    episodesCompleted: r.episodesCompleted,
    totalSteps: r.totalSteps,
    updates: s.updates,
    wallSeconds: r.wallSeconds,
    tfBackend: s.tf_backend,
    interrupted: r.interrupted,
    memory: s.memory,
  };
}
