/**
 * The training harness of the general mode, one for both agents (a Trainer does the learning):
 *   logs/training.log            header, one reference §12.7 episode line per episode, [EVAL] lines
 *   models/<agent>_general_ep0300(.json) …   checkpoints; <agent>_general_final the model
 *                                (<agent>_general_interrupt after a Ctrl-C)
 *   training_metrics.json        {episodes: [...]}; evaluation_metrics.json {checkpoints: [...]}
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * Episode e (1-based over the whole run, a resumed one included) trains on the random workload of
 * seed base + e − 1; checkpoints validate the greedy policy on random workloads of the
 * validation seeds (base + 2 000 000 + i), never on the benchmark's held-out seeds.
 */
import { configHash, mean, type Config } from '@autofarm/core';
import { createEnv, episodeStatistics, evaluate, RecordEpisodeStatistics, validationSeeds, type EpisodeRecord } from '@autofarm/env';
import { GeneralTrainingEnv, randomEpisodeConfig } from '@autofarm/agents';
import { createProgress, createRunDir, writeRunMetadata, type EvaluationCheckpoint, type ProgressMode, type TrainingEpisode } from '@autofarm/runs';
import { checkpointFrom, episodeLine, evalLine, openTrainingLog } from '../training-log.js';
import type { Trainer } from './trainer.js';

export interface HarnessOptions {
  config: Config;
  trainer: Trainer;
  /** Episodes to train in this run (after the trainer's episodesDone). */
  episodes: number;
  /** Validation episodes per checkpoint and at the end (0 disables). */
  evalEpisodes: number;
  /** Save and validate every N episodes (0 disables). */
  checkpointEvery: number;
  out?: string;
  progress?: ProgressMode | 'auto';
  signal?: AbortSignal;
  argv?: readonly string[];
  onEpisode?: (row: TrainingEpisode) => void;
}

export interface HarnessResult {
  dir: string;
  model: string;
  training: TrainingEpisode[];
  evaluation: EvaluationCheckpoint[];
  episodesCompleted: number;
  totalSteps: number;
  trainSeconds: number;
  wallSeconds: number;
  interrupted: boolean;
  summary: Record<string, unknown>;
}

/** Greedy episodes of `policy` on the random workloads of `seeds`. */
export async function validateGeneral(config: Config, policy: Parameters<typeof evaluate>[0], seeds: readonly number[]): Promise<EpisodeRecord[]> {
  const records: EpisodeRecord[] = [];
  for (const seed of seeds) {
    const episodeConfig = randomEpisodeConfig(config, seed);
    records.push(...(await evaluate(policy, () => createEnv(episodeConfig, { backend: 'sim' }), [seed], { config: episodeConfig, actuation: 'native' })));
  }
  return records;
}

export async function runTraining(o: HarnessOptions): Promise<HarnessResult> {
  const { config, trainer } = o;
  const kind = trainer.kind;
  const first = trainer.episodesDone + 1;
  const last = trainer.episodesDone + o.episodes;
  const dir = createRunDir({ prefix: `${kind}_general_run`, ...(o.out ? { out: o.out } : {}) });
  writeRunMetadata(dir, {
    command: `train-${kind}`, config, seed: config.seed, ...(o.argv ? { argv: o.argv } : {}),
    extra: { mode: 'general', episodes: o.episodes, first_episode: first, eval_episodes: o.evalEpisodes, checkpoint_every: o.checkpointEvery, config_hash: configHash(config) },
  });
  const log = openTrainingLog(dir, [
    `train-${kind} (general): episodes ${first}-${last}, seed ${config.seed}, random workloads (general.domain), miss price ${config.general.miss_price} worker-seconds, action targets ${JSON.stringify(config.general.action_targets)}`,
    `arguments: ${(o.argv ?? process.argv.slice(2)).join(' ')}`,
    `domain: ${JSON.stringify(config.general.domain)}`,
    ...trainer.describe(),
  ]);
  const progress = createProgress({ total: o.episodes, label: `train-${kind}`, ...(o.progress ? { mode: o.progress } : {}) });
  const env = new RecordEpisodeStatistics(new GeneralTrainingEnv(config, (c) => createEnv(c, { backend: 'sim' })));
  const training: TrainingEpisode[] = [];
  const evaluation: EvaluationCheckpoint[] = [];
  const validate = async (episode: number) => {
    if (o.evalEpisodes <= 0) return;
    const c = checkpointFrom(episode, await validateGeneral(config, trainer.greedy(), validationSeeds(config.seed, o.evalEpisodes)));
    evaluation.push(c);
    log.push(evalLine(c, 'validation workloads'));
    progress.log(evalLine(c, 'validation workloads'));
  };
  const modelPath = (tag: string) => dir.file(`models/${kind}_general_${tag}`);
  let totalSteps = 0;
  let trainMs = 0;
  const started = performance.now();
  try {
    for (let episode = first; episode <= last; episode++) {
      if (o.signal?.aborted) break;
      const t0 = performance.now();
      const learner = await trainer.trainEpisode(env, episode, config.seed + episode - 1);
      trainMs += performance.now() - t0;
      if (!env.lastEpisode) throw new Error(`train-${kind}: episode ${episode} ended without a record`);
      const { terminated: _t, truncated: _u, ...stats } = episodeStatistics(env.lastEpisode);
      const row: TrainingEpisode = { episode, ...stats, ...learner };
      totalSteps += row.steps;
      training.push(row);
      log.push(episodeLine(row, last));
      const recent = training.slice(-50);
      progress.update(episode - first + 1, { qos: `${(mean(recent.map((r) => r.final_qos)) * 100).toFixed(1)}%`, workers: mean(recent.map((r) => r.mean_workers)), eps: row.epsilon });
      if (o.checkpointEvery > 0 && (episode - first + 1) % o.checkpointEvery === 0 && episode !== last) {
        await trainer.save(modelPath(`ep${String(episode).padStart(4, '0')}`));
        await validate(episode);
      }
      log.flush();
      o.onEpisode?.(row);
      await new Promise((resolve) => setImmediate(resolve)); // let a Ctrl-C in
    }
    const completed = training.length;
    const interrupted = completed < o.episodes;
    const model = await trainer.save(modelPath(interrupted ? 'interrupt' : 'final'));
    if (!interrupted) await validate(trainer.episodesDone);
    progress.stop();
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = { mode: 'general', episodes_completed: completed, episodes_trained: trainer.episodesDone, interrupted, total_steps: totalSteps, train_seconds: trainMs / 1000, wall_seconds: wallSeconds, model, ...trainer.summary() };
    dir.writeJson('training_metrics.json', { episodes: training });
    if (evaluation.length > 0) dir.writeJson('evaluation_metrics.json', { checkpoints: evaluation });
    dir.writeJson('training_summary.json', summary);
    log.push(`trained ${completed} episodes, ${totalSteps} steps in ${(trainMs / 1000).toFixed(1)} s (${wallSeconds.toFixed(1)} s in all); model ${model}`);
    log.flush();
    if (training.length > 0) {
      const { plotTrainingCurves } = await import('@autofarm/runs/plots');
      plotTrainingCurves(training, evaluation, dir.file('plots/training_curves.png'), { title: `${kind.toUpperCase()} general training (seed ${config.seed})` });
    }
    return { dir: dir.path, model, training, evaluation, episodesCompleted: completed, totalSteps, trainSeconds: trainMs / 1000, wallSeconds, interrupted, summary };
  } finally {
    progress.stop();
    dir.close();
    trainer.dispose();
    await env.close();
  }
}
