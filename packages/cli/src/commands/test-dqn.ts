/**
 * `autofarm test-dqn`: greedy roll-outs of a trained DQN (reference §11.3) on held-out seeds
 * (evaluationSeeds(seed, n): never a training workload), through the same evaluation run as
 * test-sarsa and test-reactive-baselines. One run directory `dqn_eval_<ts>`:
 *   summary.json                              the compare-policies summary object (issue 3's contract)
 *   aggregated_results.json + comparison.md   the records in compare-policies' format
 *   logs/evaluation.log                       the per-step table of every episode
 *   plots/dqn_episode_01.png …                one figure per episode
 * The model is loaded and checked before a run directory exists: a missing or corrupt file is a
 * ModelFileError naming it, exit code 2.
 */
import { Option, type Command } from 'commander';
import type { Config } from '@autofarm/core';
import { evaluationSeeds, summarize, type EpisodeRecord, type SummaryStats } from '@autofarm/env';
import { comparisonMarkdown, readAggregatedResults } from '@autofarm/runs';
import { runEvaluation } from '../evaluation.js';
import { addEpisodeOptions, loadWithFlags, parseInteger, type EpisodeFlags } from '../options.js';

export interface TestDqnRunOptions {
  config: Config;
  /** A model directory written by train-dqn (e.g. runs/dqn_run_…/models/dqn_final). */
  modelDir: string;
  /** Default 5, as the original. */
  episodes?: number;
  out?: string;
  tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /** Receives the per-step tables as they are produced. */
  print?: (text: string) => void;
}

export interface TestDqnRunResult {
  dir: string;
  records: EpisodeRecord[];
  summary: SummaryStats;
}

export async function testDqnRun(options: TestDqnRunOptions): Promise<TestDqnRunResult> {
  const { config } = options;
  const { loadDqnModelPolicy } = await import('@autofarm/agents/dqn');
  const policy = await loadDqnModelPolicy(options.modelDir, config, { backend: options.tfBackend ?? 'auto', name: 'DQN' });
  try {
    const result = await runEvaluation({
      command: 'test-dqn',
      config,
      policies: new Map([['DQN', () => policy]]),
      seeds: evaluationSeeds(config.seed, options.episodes ?? 5),
      prefix: 'dqn_eval',
      ...(options.out ? { out: options.out } : {}),
      ...(options.print ? { print: options.print } : {}),
    });
    const records = result.agents.DQN ?? [];
    return { dir: result.dir, records, summary: summarize(records) };
  } finally {
    policy.dispose();
  }
}

interface TestDqnFlags extends EpisodeFlags {
  model: string;
  episodes: number;
  tfBackend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  quiet?: boolean;
}

export function registerTestDqn(program: Command): void {
  addEpisodeOptions(
    program
      .command('test-dqn')
      .description('greedy roll-outs of a trained DQN on held-out seeds; per-step tables, per-episode plots, summary.json')
      .requiredOption('--model <dir>', 'model directory from train-dqn (…/models/dqn_final)')
      .option('--episodes <n>', 'evaluation episodes (held-out seeds seed + 1000000 + i)', parseInteger('--episodes', 1), 5)
      .addOption(new Option('--tf-backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'))
      .option('--quiet', 'do not print the per-step tables (they are still in logs/evaluation.log)')
      .option('--out <dir>', 'run directory (default runs/dqn_eval_<UTC timestamp>)'),
  ).action(async (flags: TestDqnFlags) => {
    const config = loadWithFlags(flags);
    const r = await testDqnRun({
      config,
      modelDir: flags.model,
      episodes: flags.episodes,
      tfBackend: flags.tfBackend,
      ...(flags.out ? { out: flags.out } : {}),
      ...(flags.quiet ? {} : { print: (t: string) => process.stdout.write(`${t}\n`) }),
    });
    process.stdout.write(
      `${comparisonMarkdown(readAggregatedResults(r.dir))}\nResults in ${r.dir}: summary.json, logs/evaluation.log, plots/\n`,
    );
  });
}
