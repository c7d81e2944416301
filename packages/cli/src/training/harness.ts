/**
 * The training harness, one for both agents and both modes (a Trainer does the learning):
 *   logs/training.log            header, step rows of the logged episodes, one reference §12.7
 *                                episode line per episode, [EVAL] lines
 *   steps.jsonl                  the logged step rows as JSON
 *   models/<name>_ep0300(.json) …   checkpoints; <name>_final the model (<name>_interrupt after
 *                                a Ctrl-C); <name> = TrainingSetting.name: sarsa | dqn, sarsa_general | dqn_general
 *   training_metrics.json        {episodes: [...]}; evaluation_metrics.json {checkpoints: [...]}
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * Episode e (1-based over the whole run, a resumed one included) resets with seed base + e − 1.
 * What the agent learns and is evaluated on is the trainer's setting's (setting.ts).
 */
import { configHash, mean, type Config } from '@autofarm/core';
import { episodeStatistics } from '@autofarm/env';
import {
  createProgress,
  createRunDir,
  writeRunMetadata,
  type EvaluationCheckpoint,
  type ProgressMode,
  type TrainingEpisode,
} from '@autofarm/runs';
import { checkpointFrom, episodeLine, evalLine, openTrainingLog } from '../training-log.js';
import type { Trainer } from './trainer.js';

export interface HarnessOptions {
  config: Config;
  trainer: Trainer;
  /** Episodes to train in this run (after the trainer's episodesDone). */
  episodes: number;
  /** Validation (general) or held-out evaluation (original) episodes per checkpoint and at the end (0 disables). */
  evalEpisodes: number;
  /** Save and validate every N episodes (0 disables). */
  checkpointEvery: number;
  /** Step rows for the first, the last and every N-th episode (1 = all, 0 = none). Default 0. */
  stepLogEvery?: number;
  /** Extra header lines of logs/training.log. */
  header?: readonly string[];
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

export async function runTraining(o: HarnessOptions): Promise<HarnessResult> {
  const { config, trainer } = o;
  const { kind, setting } = trainer;
  const name = setting.name(kind);
  const first = trainer.episodesDone + 1;
  const last = trainer.episodesDone + o.episodes;
  const dir = createRunDir({ prefix: `${name}_run`, ...(o.out ? { out: o.out } : {}) });
  writeRunMetadata(dir, {
    command: `train-${kind}`,
    config,
    seed: config.seed,
    ...(o.argv ? { argv: o.argv } : {}),
    extra: {
      mode: setting.mode,
      backend: setting.backend(config),
      episodes: o.episodes,
      first_episode: first,
      eval_episodes: o.evalEpisodes,
      checkpoint_every: o.checkpointEvery,
      config_hash: configHash(config),
    },
  });
  const log = openTrainingLog(dir, [
    setting.header(kind, config, first, last),
    `arguments: ${(o.argv ?? process.argv.slice(2)).join(' ')}`,
    setting.episodesLine(config),
    ...trainer.describe(),
    ...(o.header ?? []),
  ]);
  const progress = createProgress({ total: o.episodes, label: `train-${kind}`, ...(o.progress ? { mode: o.progress } : {}) });
  const learning = await setting.trainingEnv(config);
  const { env } = learning;
  const training: TrainingEpisode[] = [];
  const evaluation: EvaluationCheckpoint[] = [];
  const validate = async (episode: number) => {
    if (o.evalEpisodes <= 0) return;
    const records = await setting.evaluate(config, trainer.greedy(), o.evalEpisodes);
    const c = checkpointFrom(episode, records, setting.missPrice(config));
    evaluation.push(c);
    log.push(evalLine(c, setting.evaluatedOn));
    progress.log(evalLine(c, setting.evaluatedOn));
  };
  const every = o.stepLogEvery ?? 0;
  const logged = (episode: number) => every > 0 && (episode === first || episode === last || (episode - first + 1) % every === 0);
  const sink = (line: string, json: Record<string, unknown>) => {
    log.push(line);
    dir.appendJsonl('steps.jsonl', json);
  };
  const modelPath = (tag: string) => dir.file(`models/${name}_${tag}`);
  let totalSteps = 0;
  let trainMs = 0;
  const started = performance.now();
  try {
    for (let episode = first; episode <= last; episode++) {
      if (o.signal?.aborted) break;
      if (logged(episode)) log.push(trainer.stepHeader);
      const t0 = performance.now();
      const learner = await trainer.trainEpisode(env, episode, config.seed + episode - 1, logged(episode) ? sink : undefined);
      trainMs += performance.now() - t0;
      const record = learning.lastEpisode();
      if (!record) throw new Error(`train-${kind}: episode ${episode} ended without a record`);
      // the episode's statistics come from its record (env's EpisodeRecorder), as evaluation's do
      const { terminated: _t, truncated: _u, ...stats } = episodeStatistics(record);
      const cost = setting.cost(config, record);
      const row: TrainingEpisode = { episode, ...stats, ...(cost === undefined ? {} : { cost }), ...learner };
      totalSteps += row.steps;
      training.push(row);
      const line = episodeLine(row, last);
      log.push(row.mean_loss === undefined ? line.replace(/ loss=\S+/, '') : line); // SARSA has no loss
      const recent = training.slice(-50);
      progress.update(episode - first + 1, {
        qos: `${(mean(recent.map((r) => r.final_qos)) * 100).toFixed(1)}%`,
        workers: mean(recent.map((r) => r.mean_workers)),
        eps: row.epsilon,
      });
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
    const summary = {
      mode: setting.mode,
      episodes_completed: completed,
      episodes_trained: trainer.episodesDone,
      interrupted,
      total_steps: totalSteps,
      train_seconds: trainMs / 1000,
      wall_seconds: wallSeconds,
      model,
      ...trainer.summary(),
    };
    dir.writeJson('training_metrics.json', { episodes: training });
    if (evaluation.length > 0) dir.writeJson('evaluation_metrics.json', { checkpoints: evaluation });
    trainer.finish?.(dir);
    dir.writeJson('training_summary.json', summary);
    log.push(
      `trained ${completed} episodes, ${totalSteps} steps in ${(trainMs / 1000).toFixed(1)} ` +
        `s (${wallSeconds.toFixed(1)} s in all); model ${model}`,
    );
    log.flush();
    if (training.length > 0) {
      const { plotTrainingCurves } = await import('@autofarm/runs/plots');
      plotTrainingCurves(training, evaluation, dir.file('plots/training_curves.png'), { title: setting.plotTitle(kind, config) });
    }
    return {
      dir: dir.path,
      model,
      training,
      evaluation,
      episodesCompleted: completed,
      totalSteps,
      trainSeconds: trainMs / 1000,
      wallSeconds,
      interrupted,
      summary,
    };
  } finally {
    progress.stop();
    dir.close();
    trainer.dispose();
    await env.close();
  }
}
