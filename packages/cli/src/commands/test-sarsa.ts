/**
 * `autofarm test-sarsa`: greedy roll-outs of a trained SARSA model (reference §11.3) on held-out
 * seeds (evaluationSeeds(seed, n): never a training workload). One run directory `sarsa_eval_<ts>`:
 *   summary.json                              the compare-policies summary object (issue 3's contract)
 *   aggregated_results.json + comparison.md   the records in compare-policies' format
 *   logs/evaluation.log                       the per-step table of every episode
 *   plots/sarsa_episode_01.png …              one figure per episode
 * The model is loaded (and checked against the configuration) before anything runs: a missing,
 * corrupt or mismatched file is a ModelFileError, exit code 2. The command calls testSarsaRun.
 */
import type { Command } from 'commander';
import type { Config } from '@autofarm/core';
import { loadSarsaModelPolicy } from '@autofarm/agents';
import { evaluationSeeds, summarize, type EpisodeRecord, type SummaryStats } from '@autofarm/env';
import { comparisonMarkdown, readAggregatedResults } from '@autofarm/runs';
import { runEvaluation } from '../evaluation.js';
import { addEpisodeOptions, loadWithFlags, parseInteger, type EpisodeFlags } from '../options.js';

export interface TestSarsaRunOptions {
  config: Config;
  /** A model file written by train-sarsa (…/models/sarsa_final.json). */
  model: string;
  /** Default 5, as the original. */
  episodes?: number;
  out?: string;
  /** Receives the per-step tables as they are produced. */
  print?: (text: string) => void;
}

export interface TestSarsaRunResult {
  dir: string;
  records: EpisodeRecord[];
  summary: SummaryStats;
}

export async function testSarsaRun(options: TestSarsaRunOptions): Promise<TestSarsaRunResult> {
  const { config, model } = options;
  const load = () => loadSarsaModelPolicy(model, config, 'SARSA');
  load(); // fail before a run directory exists
  const seeds = evaluationSeeds(config.seed, options.episodes ?? 5);
  const result = await runEvaluation({
    command: 'test-sarsa',
    config,
    policies: new Map([['SARSA', load]]),
    seeds,
    prefix: 'sarsa_eval',
    ...(options.out ? { out: options.out } : {}),
    ...(options.print ? { print: options.print } : {}),
  });
  const records = result.agents.SARSA ?? [];
  return { dir: result.dir, records, summary: summarize(records) };
}

interface TestSarsaFlags extends EpisodeFlags {
  model: string;
  episodes: number;
  quiet?: boolean;
}

export function registerTestSarsa(program: Command): void {
  addEpisodeOptions(
    program
      .command('test-sarsa')
      .description('greedy roll-outs of a trained SARSA model on held-out seeds; per-step tables, per-episode plots, summary.json')
      .requiredOption('--model <file>', 'model file from train-sarsa (…/models/sarsa_final.json)')
      .option('--episodes <n>', 'evaluation episodes (held-out seeds seed + 1000000 + i)', parseInteger('--episodes', 1), 5)
      .option('--quiet', 'do not print the per-step tables (they are still in logs/evaluation.log)')
      .option('--out <dir>', 'run directory (default runs/sarsa_eval_<UTC timestamp>)'),
  ).action(async (flags: TestSarsaFlags) => {
    const config = loadWithFlags(flags);
    const r = await testSarsaRun({
      config,
      model: flags.model,
      episodes: flags.episodes,
      ...(flags.out ? { out: flags.out } : {}),
      ...(flags.quiet ? {} : { print: (t: string) => process.stdout.write(`${t}\n`) }),
    });
    process.stdout.write(
      `${comparisonMarkdown(readAggregatedResults(r.dir))}\nResults in ${r.dir}: summary.json, logs/evaluation.log, plots/\n`,
    );
  });
}
