/**
 * The original-mode run of `autofarm train-sarsa` (the prototype's experiment): the one training
 * harness (harness.ts, which lists the run directory's files) with the SARSA trainer in the
 * ORIGINAL setting, plus training_state_visits.json (reference §12.6). Tests call it too.
 */
import type { Config } from '@autofarm/core';
import type { EvaluationCheckpoint, ProgressMode, TrainingEpisode } from '@autofarm/runs';
import { runTraining } from './harness.js';
import { ORIGINAL } from './setting.js';
import { sarsaTrainer } from './sarsa-trainer.js';

/** A training_metrics.json row: the episode's recorded statistics plus what the learner knows. */
export type SarsaTrainingRow = TrainingEpisode & { seed?: number; table_size?: number };

export interface TrainSarsaRunOptions {
  /** Resolved configuration (flags applied); config.sarsa holds the hyper-parameters, config.seed the seed. */
  config: Config;
  /** Default config.sarsa.episodes. */
  episodes?: number;
  /** Greedy held-out evaluation episodes per checkpoint and at the end (0 disables). Default 20. */
  evalEpisodes?: number;
  /** Save and evaluate every N episodes (0 disables). Default: a tenth of the episodes (10 checkpoints). */
  checkpointEvery?: number;
  /** Per-step rows for every N-th episode (1 = all; 0 = none). Default: the checkpoint interval. */
  stepLogEvery?: number;
  out?: string;
  progress?: ProgressMode | 'auto';
  /** Stops training after the current episode (Ctrl-C); the model is saved as sarsa_interrupt.json. */
  signal?: AbortSignal;
  argv?: readonly string[];
}

export interface TrainSarsaRunResult {
  dir: string;
  modelFile: string;
  training: SarsaTrainingRow[];
  evaluation: EvaluationCheckpoint[];
  episodesCompleted: number;
  totalSteps: number;
  /** Wall time of the training loop alone (no evaluation, saving or plotting). */
  trainSeconds: number;
  wallSeconds: number;
  tableSize: number;
  interrupted: boolean;
}

export async function trainSarsaRun(options: TrainSarsaRunOptions): Promise<TrainSarsaRunResult> {
  const { config } = options;
  const episodes = options.episodes ?? config.sarsa.episodes;
  const checkpointEvery = options.checkpointEvery ?? Math.max(1, Math.round(episodes / 10));
  const r = await runTraining({
    config,
    trainer: sarsaTrainer(config, ORIGINAL),
    episodes,
    evalEpisodes: options.evalEpisodes ?? 20,
    checkpointEvery,
    stepLogEvery: options.stepLogEvery ?? checkpointEvery,
    header: [`sarsa block: ${JSON.stringify(config.sarsa)}`],
    ...(options.out ? { out: options.out } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.argv ? { argv: options.argv } : {}),
  });
  return {
    dir: r.dir,
    modelFile: r.model,
    training: r.training,
    evaluation: r.evaluation,
    episodesCompleted: r.episodesCompleted,
    totalSteps: r.totalSteps,
    trainSeconds: r.trainSeconds,
    wallSeconds: r.wallSeconds,
    tableSize: r.summary.table_size as number,
    interrupted: r.interrupted,
  };
}
