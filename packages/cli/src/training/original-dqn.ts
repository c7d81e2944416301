/**
 * `autofarm train-dqn`: train the Double DQN (reference §11.2) and write one run directory:
 *   logs/training.log         arguments, reward block, per-step rows, episode and [EVAL] lines (§12.7)
 *   steps.jsonl               the per-step rows as JSON
 *   models/dqn_ep0010/ ...    checkpoints; models/dqn_final/ the trained model (tfjs layers format)
 *   training_metrics.json     {episodes: [...]} (§12.2 + mean_loss)
 *   evaluation_metrics.json   {checkpoints: [...]} (§12.3), greedy on held-out seeds
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * The original-mode run of `autofarm train-dqn` (the prototype's experiment); tests call it too.
 */
import { configHash, mean, type Config } from '@autofarm/core';
import { createEnv, episodeStatistics, evaluate, evaluationSeeds, RecordEpisodeStatistics, trainingSeeds } from '@autofarm/env';
import { createProgress, createRunDir, writeRunMetadata, type EvaluationCheckpoint, type ProgressMode, type RunDir, type TrainingEpisode } from '@autofarm/runs';
import { checkpointFrom, episodeLine, evalLine, openTrainingLog, STEP_HEADER, stepRow } from '../training-log.js';

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
  memory: { rssMbBefore: number; rssMbStart: number; rssMbEnd: number; heapMbStart: number; heapMbEnd: number; tensorsStart: number; tensorsEnd: number; gcExposed: boolean };
}

export async function trainDqnRun(options: TrainDqnRunOptions): Promise<TrainDqnRunResult> {
  const { config } = options;
  const episodes = options.episodes ?? config.dqn.episodes;
  const evalEpisodes = options.evalEpisodes ?? 5;
  const checkpointEvery = options.checkpointEvery ?? 10;
  const seed = config.seed;
  // tfjs loads only when a DQN command runs (importing the CLI must not load it).
  const { createDqnAgent, greedyPolicy, saveDqnModel, tensorCount, trainDqn } = await import('@autofarm/agents/dqn');
  const dir: RunDir = createRunDir({ prefix: 'dqn_run', ...(options.out ? { out: options.out } : {}) });
  const env = await createEnv(config);
  const recorded = new RecordEpisodeStatistics(env);
  const { agent, tfBackend } = await createDqnAgent({ config, actionSpace: env.actionSpace, observationSize: env.observationSpace.size, seed, ...(options.tfBackend ? { backend: options.tfBackend } : {}) });
  writeRunMetadata(dir, { command: 'train-dqn', config, seed, ...(options.argv ? { argv: options.argv } : {}), extra: { backend: config.backend, tf_backend: tfBackend, episodes, eval_episodes: evalEpisodes, checkpoint_every: checkpointEvery } });
  const log = openTrainingLog(dir, [
    `train-dqn: ${episodes} episodes on ${config.backend} (${config.workload.arrival_process} arrivals), seed ${seed}, TensorFlow.js backend ${tfBackend}`,
    `arguments: ${(options.argv ?? process.argv.slice(2)).join(' ')}`,
    `dqn: ${JSON.stringify(config.dqn)}`,
    `reward: ${JSON.stringify(config.reward)}`,
  ]);
  const progress = createProgress({ total: episodes, label: 'train-dqn', ...(options.progress ? { mode: options.progress } : {}) });
  const training: TrainingEpisode[] = [];
  const evaluation: EvaluationCheckpoint[] = [];
  const hash = configHash(config);
  const evaluateNow = async (episode: number) => {
    if (evalEpisodes <= 0) return;
    const records = await evaluate(greedyPolicy(agent), () => createEnv(config), evaluationSeeds(seed, evalEpisodes), { config });
    const c = checkpointFrom(episode, records);
    evaluation.push(c);
    log.push(evalLine(c));
    progress.log(evalLine(c));
  };

  let totalSteps = 0;
  const started = Date.now();
  let completed = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  const usage = () => {
    gc?.();
    const m = process.memoryUsage();
    return { rss: Math.round((m.rss / 2 ** 20) * 10) / 10, heap: Math.round((m.heapUsed / 2 ** 20) * 10) / 10 };
  };
  const memory = { rssMbBefore: usage().rss, rssMbStart: 0, rssMbEnd: 0, heapMbStart: 0, heapMbEnd: 0, tensorsStart: 0, tensorsEnd: 0, gcExposed: gc !== undefined };
  try {
    log.push(STEP_HEADER);
    completed = await trainDqn(recorded, agent, trainingSeeds(seed, episodes), {
      shouldStop: () => options.signal?.aborted ?? false,
      onStep: (s) => {
        const { info } = s.result;
        totalSteps++;
        log.push(stepRow(s.episode, s.result.observation, info, s.action, s.result.reward, s.loss));
        dir.appendJsonl('steps.jsonl', { episode: s.episode, seed: s.seed, step: info.step, time: info.time, action: s.action, applied: info.appliedDelta, observation: s.result.observation, reward: s.result.reward, loss: s.loss, epsilon: s.epsilon });
      },
      onEpisode: async (e) => {
        // Every statistic of the row comes from the episode's record (env's EpisodeRecorder).
        const record = recorded.lastEpisode;
        if (!record) throw new Error('train-dqn: an episode ended without a record');
        const { terminated: _t, truncated: _u, ...stats } = episodeStatistics(record);
        const row: TrainingEpisode = { episode: e.episode, ...stats, epsilon: e.epsilon, mean_loss: mean(e.losses) };
        training.push(row);
        log.push(episodeLine(row, episodes));
        progress.update(e.episode, { reward: row.total_reward, qos: `${(row.final_qos * 100).toFixed(1)}%`, workers: row.mean_workers, eps: row.epsilon, loss: row.mean_loss ?? 0 });
        if (checkpointEvery > 0 && e.episode % checkpointEvery === 0) {
          await saveDqnModel(dir.file(`models/dqn_ep${String(e.episode).padStart(4, '0')}`), agent, { configHash: hash, tfBackend });
          await evaluateNow(e.episode);
        }
        log.flush();
        if (memory.tensorsStart === 0 && e.losses.length > 0) {
          const u = usage();
          Object.assign(memory, { rssMbStart: u.rss, heapMbStart: u.heap, tensorsStart: tensorCount() });
        }
        options.onEpisode?.(row);
        if (e.episode === episodes || options.signal?.aborted) {
          const u = usage();
          Object.assign(memory, { rssMbEnd: u.rss, heapMbEnd: u.heap, tensorsEnd: tensorCount() });
        }
      },
    });
    const interrupted = completed < episodes;
    const modelDir = dir.file(interrupted ? 'models/dqn_interrupt' : 'models/dqn_final');
    await saveDqnModel(modelDir, agent, { configHash: hash, tfBackend });
    if (!interrupted && evaluation.at(-1)?.episode !== completed) await evaluateNow(completed);
    const wallSeconds = (Date.now() - started) / 1000;
    progress.stop();
    dir.writeJson('training_metrics.json', { episodes: training });
    if (evaluation.length > 0) dir.writeJson('evaluation_metrics.json', { checkpoints: evaluation });
    dir.writeJson('training_summary.json', { episodes_completed: completed, interrupted, total_steps: totalSteps, updates: agent.updates, wall_seconds: wallSeconds, tf_backend: tfBackend, model: modelDir, memory, config: { episodes, eval_episodes: evalEpisodes, checkpoint_every: checkpointEvery, seed, dqn: config.dqn } });
    log.push(`trained ${completed} episodes, ${totalSteps} steps, ${agent.updates} updates in ${wallSeconds.toFixed(1)} s; model ${modelDir}`);
    log.flush();
    if (training.length > 0) {
      const { plotTrainingCurves } = await import('@autofarm/runs/plots');
      plotTrainingCurves(training, evaluation, dir.file('plots/training_curves.png'), { title: `DQN training (${config.workload.arrival_process} arrivals, seed ${seed})` });
    }
    return { dir: dir.path, modelDir, training, evaluation, episodesCompleted: completed, totalSteps, updates: agent.updates, wallSeconds, tfBackend, interrupted, memory };
  } finally {
    progress.stop();
    dir.close();
    agent.dispose();
    await env.close();
  }
}
