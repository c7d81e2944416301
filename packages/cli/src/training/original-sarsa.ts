/**
 * `autofarm train-sarsa`: train the tabular SARSA(λ) agent (reference §9, §11.1) and write one
 * run directory:
 *   logs/training.log            arguments, hyper-parameters, reward block, per-step rows of the
 *                                logged episodes, episode and [EVAL] lines (§12.7)
 *   steps.jsonl                  the same per-step rows as JSON
 *   models/sarsa_ep0600.json …   checkpoints; models/sarsa_final.json the trained model
 *   training_metrics.json        {episodes: [...]} (§12.2; final_qos counts unfinished tasks as misses)
 *   evaluation_metrics.json      {checkpoints: [...]} (§12.3), greedy on held-out seeds
 *   training_state_visits.json   §12.6
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * The original-mode run of `autofarm train-sarsa` (the prototype's experiment); tests call it too.
 */
import { configHash, mean, median, type Config } from '@autofarm/core';
import { createEnv, episodeStatistics, evaluate, evaluationSeeds, RecordEpisodeStatistics, type EpisodeStatistics } from '@autofarm/env';
import { hyperParamsOf, resolveEdges, SarsaAgent, sarsaPolicy, saveSarsaModel, stateSpaceSize, trainSarsa, type SarsaEpisodeStats } from '@autofarm/agents';
import { createProgress, createRunDir, writeRunMetadata, type EvaluationCheckpoint, type ProgressMode, type RunDir, type TrainingEpisode } from '@autofarm/runs';
import { checkpointFrom, episodeLine, evalLine, openTrainingLog, STEP_HEADER, stepRow } from '../training-log.js';

/** A training_metrics.json row: what the learner knows plus the episode's recorded statistics. */
export type SarsaTrainingRow = TrainingEpisode & Pick<SarsaEpisodeStats, 'seed' | 'table_size' | 'terminated' | 'truncated'>;

function trainingRow(learner: SarsaEpisodeStats, stats: EpisodeStatistics): SarsaTrainingRow {
  return { episode: learner.episode, seed: learner.seed, ...stats, epsilon: learner.epsilon, table_size: learner.table_size };
}

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

const TD_HEADER = STEP_HEADER.replace('    Loss', '  TD_err');

/** Reference §12.6: visits and Q-values per visited state, most visited first. */
function stateVisits(agent: SarsaAgent) {
  const counts = [...agent.visits].map(([state, visits]) => ({ state: state.split(',').map(Number), visits, q_values: Array.from(agent.values(state)) }));
  counts.sort((a, b) => b.visits - a.visits);
  const v = counts.map((c) => c.visits);
  const space = stateSpaceSize(agent.edges);
  return {
    total_unique_states: counts.length,
    total_visits: v.reduce((a, b) => a + b, 0),
    total_state_space: space,
    coverage: counts.length / space,
    visit_stats: { mean: mean(v), median: median(v), max: Math.max(0, ...v), min: v.length ? Math.min(...v) : 0 },
    counts,
  };
}

export async function trainSarsaRun(options: TrainSarsaRunOptions): Promise<TrainSarsaRunResult> {
  const { config } = options;
  const episodes = options.episodes ?? config.sarsa.episodes;
  const evalEpisodes = options.evalEpisodes ?? 20;
  const checkpointEvery = options.checkpointEvery ?? Math.max(1, Math.round(episodes / 10));
  const stepLogEvery = options.stepLogEvery ?? checkpointEvery;
  const seed = config.seed;
  const hash = configHash(config);
  const dir: RunDir = createRunDir({ prefix: 'sarsa_run', ...(options.out ? { out: options.out } : {}) });
  const env = await createEnv(config);
  const agent = new SarsaAgent(resolveEdges(config.sarsa.bins), env.actionSpace, hyperParamsOf(config.sarsa));
  writeRunMetadata(dir, {
    command: 'train-sarsa', config, seed, ...(options.argv ? { argv: options.argv } : {}),
    extra: { backend: config.backend, episodes, eval_episodes: evalEpisodes, checkpoint_every: checkpointEvery, state_space: stateSpaceSize(agent.edges) },
  });
  // Appended per episode, so a long run's log survives a crash.
  const log = openTrainingLog(dir, [
    `train-sarsa: ${episodes} episodes on ${config.backend} (${config.workload.arrival_process} arrivals${config.workload.phase_shuffle ? ', phases shuffled' : ''}), seed ${seed}, ${stateSpaceSize(agent.edges)} discrete states`,
    `arguments: ${(options.argv ?? process.argv.slice(2)).join(' ')}`,
    `sarsa: ${JSON.stringify(config.sarsa)}`,
    `bin edges: ${JSON.stringify(Object.fromEntries(agent.edges.map((e, i) => [i, e])))}`,
    `reward: ${JSON.stringify(config.reward)}`,
  ]);
  const progress = createProgress({ total: episodes, label: 'train-sarsa', ...(options.progress ? { mode: options.progress } : {}) });
  const evaluation: EvaluationCheckpoint[] = [];
  const meta = (episodesTrained: number) => ({ seed, configHash: hash, episodesTrained });
  const evaluateNow = async (episode: number) => {
    if (evalEpisodes <= 0) return;
    const records = await evaluate(sarsaPolicy(agent), () => createEnv(config), evaluationSeeds(seed, evalEpisodes), { config });
    const c = checkpointFrom(episode, records);
    evaluation.push(c);
    log.push(evalLine(c));
    progress.log(evalLine(c));
  };
  const logged = (episode: number) => stepLogEvery > 0 && (episode === 1 || episode % stepLogEvery === 0 || episode === episodes);

  const recent: SarsaTrainingRow[] = [];
  const rows: SarsaTrainingRow[] = [];
  let totalSteps = 0;
  let trainMs = 0;
  let sliceStart = performance.now();
  const started = performance.now();
  try {
    const recorded = new RecordEpisodeStatistics(env);
    await trainSarsa(recorded, agent, {
      episodes,
      seed,
      checkpointEvery,
      shouldStop: () => options.signal?.aborted ?? false,
      hooks: {
        onStep: (s) => {
          totalSteps++;
          if (!logged(s.episode)) return;
          if (s.step === 1) log.push(TD_HEADER);
          log.push(stepRow(s.episode, s.observation, s.info, s.action, s.reward, s.tdError));
          dir.appendJsonl('steps.jsonl', { episode: s.episode, step: s.step, time: s.info.time, action: s.action, applied: s.info.appliedDelta, observation: s.observation, reward: s.reward, td_error: s.tdError, epsilon: agent.epsilon });
        },
        onEpisodeEnd: (learner) => {
          // The episode's statistics come from its record (env's EpisodeRecorder), as evaluation's do.
          if (!recorded.lastEpisode) throw new Error('train-sarsa: an episode ended without a record');
          const e = trainingRow(learner, episodeStatistics(recorded.lastEpisode));
          rows.push(e);
          log.push(episodeLine(e, episodes).replace(/ loss=\S+/, '')); // SARSA has no loss
          recent.push(e);
          if (recent.length > 50) recent.shift();
          progress.update(e.episode, {
            return: mean(recent.map((r) => r.total_reward)),
            qos: `${(mean(recent.map((r) => r.final_qos)) * 100).toFixed(2)}%`,
            workers: mean(recent.map((r) => r.mean_workers)),
            eps: e.epsilon,
          });
          log.flush();
        },
        onCheckpoint: async (episode) => {
          trainMs += performance.now() - sliceStart;
          saveSarsaModel(dir.file(`models/sarsa_ep${String(episode).padStart(4, '0')}.json`), agent, meta(episode));
          await evaluateNow(episode);
          log.flush();
          sliceStart = performance.now();
        },
      },
    });
    trainMs += performance.now() - sliceStart;
    const training = rows;
    const completed = training.length;
    const interrupted = completed < episodes;
    const modelFile = dir.file(`models/${interrupted ? 'sarsa_interrupt' : 'sarsa_final'}.json`);
    saveSarsaModel(modelFile, agent, meta(completed));
    if (!interrupted && evaluation.at(-1)?.episode !== completed) await evaluateNow(completed);
    progress.stop();
    const wallSeconds = (performance.now() - started) / 1000;
    dir.writeJson('training_metrics.json', { episodes: training });
    if (evaluation.length > 0) dir.writeJson('evaluation_metrics.json', { checkpoints: evaluation });
    dir.writeJson('training_state_visits.json', stateVisits(agent));
    dir.writeJson('training_summary.json', {
      episodes_completed: completed, interrupted, total_steps: totalSteps, table_size: agent.q.size, train_seconds: trainMs / 1000, wall_seconds: wallSeconds,
      model: modelFile, config: { episodes, eval_episodes: evalEpisodes, checkpoint_every: checkpointEvery, seed, sarsa: config.sarsa },
    });
    log.push(`trained ${completed} episodes, ${totalSteps} steps in ${(trainMs / 1000).toFixed(1)} s (${wallSeconds.toFixed(1)} s with evaluations); ${agent.q.size} states in the table; model ${modelFile}`);
    log.flush();
    if (training.length > 0) {
      const { plotTrainingCurves } = await import('@autofarm/runs/plots');
      plotTrainingCurves(training, evaluation, dir.file('plots/training_curves.png'), { title: `SARSA training (${config.workload.arrival_process} arrivals, seed ${seed})` });
    }
    return { dir: dir.path, modelFile, training, evaluation, episodesCompleted: completed, totalSteps, trainSeconds: trainMs / 1000, wallSeconds, tableSize: agent.q.size, interrupted };
  } finally {
    progress.stop();
    dir.close();
    await env.close();
  }
}
