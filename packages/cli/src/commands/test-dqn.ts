/**
 * `autofarm test-dqn`: greedy roll-outs of a trained DQN (reference §11.3) on held-out seeds
 * (evaluationSeeds(seed, n): never a training workload). One run directory `dqn_eval_<ts>`:
 *   dqn_eval_results.json   the §12.5 summary (plus the QoS rate with unfinished tasks as misses)
 *   aggregated_results.json + comparison.md   the same records in compare-policies' format
 *   logs/dqn_eval.log       per-step rows of every episode
 *   plots/episode_01.png …  one figure per episode
 * The command parses flags and calls testDqnRun, which tests call too.
 */
import { Option, type Command } from 'commander';
import { mean, type Config } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, type EpisodeRecord } from '@autofarm/env';
import { createProgress, createRunDir, writeComparison, writeRunMetadata, type ProgressMode } from '@autofarm/runs';
import { addEpisodeOptions, loadWithFlags, parseInteger, type EpisodeFlags } from '../options.js';

export interface TestDqnRunOptions {
  config: Config;
  /** A model directory written by train-dqn (e.g. runs/dqn_run_…/models/dqn_final). */
  modelDir: string;
  episodes?: number;
  out?: string;
  tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  progress?: ProgressMode | 'auto';
  /** Skip the per-episode PNGs (they take ~0.1 s each). */
  plots?: boolean;
  argv?: readonly string[];
}

export interface TestDqnEpisode {
  episode: number;
  seed: number;
  steps: number;
  total_reward: number;
  mean_reward: number;
  mean_qos: number;
  /** Tasks that met their deadline / tasks generated (unfinished = missed). */
  qos_rate: number;
  mean_workers: number;
  max_workers: number;
  scaling_actions: number;
  noop_actions: number;
}

export interface TestDqnSummary {
  episodes: TestDqnEpisode[];
  mean_reward: number;
  mean_qos: number;
  qos_rate: number;
  mean_workers: number;
  mean_steps: number;
  run_directory: string;
  model: string;
}

export interface TestDqnRunResult {
  dir: string;
  records: EpisodeRecord[];
  summary: TestDqnSummary;
}

const STEP_HEADER = '   Ep Step Time[s] Action Applied Worker_Q Workers QoS[%] AVG_T[s] MAX_T[s]    ARR   Reward';

function stepRows(episode: number, r: EpisodeRecord): string[] {
  const f = (x: number | undefined, d: number, w: number) => (x ?? 0).toFixed(d).padStart(w);
  const s = (d: number | undefined) => ((d ?? 0) > 0 ? `+${d}` : String(d ?? 0));
  return r.actions.map((a, i) =>
    [
      f(episode, 0, 5), f(i + 1, 0, 4), f(r.times[i], 1, 7), s(a).padStart(6), s(r.applied_actions[i]).padStart(7), f(r.queue_lengths[i], 0, 8),
      f(r.worker_counts[i], 0, 7), f((r.qos_rates[i] ?? 0) * 100, 1, 6), f(r.avg_times[i], 2, 8), f(r.max_times[i], 2, 8), f(r.arrival_rates[i], 2, 6), f(r.rewards[i], 3, 8),
    ].join(' '),
  );
}

export async function testDqnRun(options: TestDqnRunOptions): Promise<TestDqnRunResult> {
  const { config } = options;
  const episodes = options.episodes ?? 5;
  const { loadDqnPolicy } = await import('@autofarm/agents/dqn');
  // Load (and validate) the model before creating a run directory: a bad path leaves nothing behind.
  const policy = await loadDqnPolicy(options.modelDir, config, { backend: options.tfBackend ?? 'auto' });
  const seeds = evaluationSeeds(config.seed, episodes);
  const dir = createRunDir({ prefix: 'dqn_eval', ...(options.out ? { out: options.out } : {}) });
  writeRunMetadata(dir, { command: 'test-dqn', config, seed: config.seed, ...(options.argv ? { argv: options.argv } : {}), extra: { model: options.modelDir, seeds, backend: config.backend } });
  const progress = createProgress({ total: seeds.length, label: 'test-dqn', ...(options.progress ? { mode: options.progress } : {}) });
  let records: EpisodeRecord[];
  try {
    records = await evaluate(policy, () => createEnv(config), seeds, {
      config,
      onEpisode: (r, i) => progress.update(i + 1, { qos: `${(r.summary.qos_rate * 100).toFixed(1)}%`, workers: r.summary.mean_workers.toFixed(1) }),
    });
  } finally {
    progress.stop();
    policy.dispose();
  }
  const log = [`test-dqn: model ${options.modelDir}, ${episodes} episodes on ${config.backend} (${config.workload.arrival_process} arrivals), seeds ${seeds[0]}..${seeds.at(-1)}`, STEP_HEADER];
  const rows: TestDqnEpisode[] = records.map((r, i) => {
    log.push(...stepRows(i + 1, r));
    const s = r.summary;
    const row = { episode: i + 1, seed: r.seed, steps: s.steps, total_reward: s.total_reward, mean_reward: s.mean_reward, mean_qos: s.mean_qos, qos_rate: s.qos_rate, mean_workers: s.mean_workers, max_workers: s.max_workers, scaling_actions: s.scaling_actions, noop_actions: s.noop_actions };
    log.push(`Episode ${row.episode}/${episodes} | seed=${row.seed} steps=${row.steps} reward=${row.total_reward.toFixed(2)} qos_rate=${(row.qos_rate * 100).toFixed(2)}% mean_qos=${(row.mean_qos * 100).toFixed(2)}% mean_workers=${row.mean_workers.toFixed(2)} max_workers=${row.max_workers} scaling=${row.scaling_actions} noop=${row.noop_actions}`);
    return row;
  });
  const summary: TestDqnSummary = {
    episodes: rows,
    mean_reward: mean(rows.map((r) => r.total_reward)),
    mean_qos: mean(rows.map((r) => r.mean_qos)),
    qos_rate: mean(rows.map((r) => r.qos_rate)),
    mean_workers: mean(rows.map((r) => r.mean_workers)),
    mean_steps: mean(rows.map((r) => r.steps)),
    run_directory: dir.path,
    model: options.modelDir,
  };
  dir.writeJson('dqn_eval_results.json', summary);
  writeComparison(dir, { DQN: records }, { seeds, episodes, backend: config.backend, arrival_process: config.workload.arrival_process, model: options.modelDir });
  dir.writeText('logs/dqn_eval.log', `${log.join('\n')}\n`);
  if (options.plots !== false) {
    const { plotEpisode } = await import('@autofarm/runs/plots');
    records.forEach((r, i) => plotEpisode(r, dir.file(`plots/episode_${String(i + 1).padStart(2, '0')}.png`), { title: `DQN, held-out seed ${r.seed}` }));
  }
  dir.close();
  return { dir: dir.path, records, summary };
}

interface TestDqnFlags extends EpisodeFlags {
  model: string;
  episodes: number;
  tfBackend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  plots: boolean;
}

export function registerTestDqn(program: Command): void {
  addEpisodeOptions(
    program
      .command('test-dqn')
      .description('greedy roll-outs of a trained DQN on held-out seeds; writes dqn_eval_results.json, aggregated_results.json, logs and per-episode plots')
      .requiredOption('--model <dir>', 'model directory from train-dqn (…/models/dqn_final)')
      .option('--episodes <n>', 'evaluation episodes (held-out seeds seed + 1000000 + i)', parseInteger('--episodes', 1), 5)
      .addOption(new Option('--tf-backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
      .option('--no-plots', 'skip the per-episode figures')
      .option('--out <dir>', 'run directory (default runs/dqn_eval_<UTC timestamp>)'),
  ).action(async (flags: TestDqnFlags) => {
    const config = loadWithFlags(flags);
    const r = await testDqnRun({ config, modelDir: flags.model, episodes: flags.episodes, tfBackend: flags.tfBackend, plots: flags.plots, ...(flags.out ? { out: flags.out } : {}) });
    const s = r.summary;
    const lines = s.episodes.map((e) => `  ${String(e.episode).padStart(3)}  seed ${e.seed}  QoS ${(e.qos_rate * 100).toFixed(2).padStart(6)} %  mean workers ${e.mean_workers.toFixed(2).padStart(5)}  max ${e.max_workers}  steps ${e.steps}  reward ${e.total_reward.toFixed(1)}`);
    process.stdout.write(`${lines.join('\n')}\nDQN over ${s.episodes.length} held-out episodes: QoS ${(s.qos_rate * 100).toFixed(2)} %, mean workers ${s.mean_workers.toFixed(2)}, mean reward ${s.mean_reward.toFixed(2)}\nrun directory: ${r.dir}\n`);
  });
}
