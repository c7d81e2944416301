/**
 * What training writes per episode (`training_metrics.json`, reference §12.2) and per
 * checkpoint evaluation (`evaluation_metrics.json`, §12.3), shared by SARSA and DQN so one
 * `plot-training` reads both. QoS values are fractions (0..1).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from '@autofarm/core';
import { EPISODE_STATISTICS } from '@autofarm/env';
import { num, parseWith, readJsonFile, resolveRunFile } from './validate.js';

export const TRAINING_METRICS_FILE = 'training_metrics.json';
export const EVALUATION_METRICS_FILE = 'evaluation_metrics.json';

/** One checkpoint evaluation; the file is `{ "checkpoints": EvaluationCheckpoint[] }`. Std is population std. */
export interface EvaluationCheckpoint {
  /** The training episode after which the evaluation ran. */
  episode: number;
  mean_total_reward: number;
  std_total_reward: number;
  mean_mean_reward: number;
  std_mean_reward: number;
  mean_final_qos: number;
  std_final_qos: number;
  mean_mean_qos: number;
  std_mean_qos: number;
  mean_scaling_actions: number;
  std_scaling_actions: number;
  mean_noop_actions: number;
  std_noop_actions: number;
  mean_max_workers: number;
  std_max_workers: number;
  mean_mean_workers: number;
  std_mean_workers: number;
  eval_episodes: number;
  /** General mode: worker-seconds + miss_price × missed deadlines per episode, what the agent is paid for. */
  mean_cost?: number;
  std_cost?: number;
  source_run?: string;
}

/** One training episode (the file is `{ "episodes": TrainingEpisode[] }`): env's EPISODE_STATISTICS and what the learner knows. */
const episodeSchema = z.looseObject({
  /** 1-based. */
  episode: z.number(),
  ...(Object.fromEntries(EPISODE_STATISTICS.map((k) => [k, num])) as Record<(typeof EPISODE_STATISTICS)[number], typeof num>),
  /** Exploration rate after this episode's decay (0 for a policy without one). */
  epsilon: num,
  /** General mode: what the agent is paid for, worker-seconds + miss_price × missed deadlines (episodeCost). */
  cost: num.optional(),
  /** DQN only: mean TD loss over the episode's learning steps. */
  mean_loss: num.optional(),
  /** Merged files only. */
  source_run: z.string().optional(),
});

export type TrainingEpisode = z.output<typeof episodeSchema>;

const checkpointSchema = z.looseObject({
  episode: z.number(),
  mean_total_reward: num,
  std_total_reward: num,
  mean_mean_reward: num,
  std_mean_reward: num,
  mean_final_qos: num,
  std_final_qos: num,
  mean_mean_qos: num,
  std_mean_qos: num,
  mean_scaling_actions: num,
  std_scaling_actions: num,
  mean_noop_actions: num,
  std_noop_actions: num,
  mean_max_workers: num,
  std_max_workers: num,
  mean_mean_workers: num,
  std_mean_workers: num,
  eval_episodes: z.number(),
  mean_cost: num.optional(),
  std_cost: num.optional(),
  source_run: z.string().optional(),
}) satisfies z.ZodType<EvaluationCheckpoint, unknown>;

const trainingFileSchema = z.object({ episodes: z.array(episodeSchema) });
const evaluationFileSchema = z.object({ checkpoints: z.array(checkpointSchema) });

export interface TrainingRun {
  training: TrainingEpisode[];
  /** Absent when the run has no evaluation_metrics.json. */
  evaluation?: EvaluationCheckpoint[];
  /** The training_metrics.json that was read. */
  file: string;
}

/**
 * Reads a training run: a run directory, or its training_metrics.json (evaluation_metrics.json
 * is then looked for beside it). ModelFileError if the training file is missing or malformed,
 * or if an evaluation file exists but is malformed.
 */
export function readTrainingRun(dirOrFile: string, evaluationFile?: string): TrainingRun {
  const file = resolveRunFile(dirOrFile, TRAINING_METRICS_FILE, 'training metrics');
  const training = parseWith(trainingFileSchema, readJsonFile(file), file, TRAINING_METRICS_FILE).episodes;
  const evalPath = evaluationFile ?? join(statSync(dirOrFile).isDirectory() ? dirOrFile : dirname(file), EVALUATION_METRICS_FILE);
  if (evaluationFile === undefined && !existsSync(evalPath)) return { training, file };
  const evalFile = resolveRunFile(evalPath, EVALUATION_METRICS_FILE, 'evaluation metrics');
  const evaluation = parseWith(evaluationFileSchema, readJsonFile(evalFile), evalFile, EVALUATION_METRICS_FILE).checkpoints;
  return { training, evaluation, file };
}
