/** `autofarm test-reactive-baselines`: the original's reactive rules, one episode each on the same seed. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { parseNumber, parseInteger, addEpisodeOptions, loadWithFlags, type EpisodeFlags } from '../options.js';
import { resolvePolicies } from '../policies.js';
import { runEvaluation } from '../evaluation.js';
import { comparisonMarkdown, readAggregatedResults } from '@autofarm/runs';
import { evaluationSeeds } from '@autofarm/env';

interface Flags extends EpisodeFlags {
  agent: 'reactiveaverage' | 'reactivemaximum' | 'both';
  steps?: number;
  horizon?: number;
  episodes: number;
  quiet?: boolean;
}

export function registerTestReactiveBaselines(program: Command): void {
  addEpisodeOptions(
    program
      .command('test-reactive-baselines')
      .description("run the original's ReactiveAverage / ReactiveMaximum rules on the same seed; per-step table, plots, summary.json")
      .addOption(new Option('--agent <name>', 'which rule').choices(['reactiveaverage', 'reactivemaximum', 'both']).default('both'))
      .option('--steps <n>', 'step limit (alias of --max-steps)', parseInteger('--steps', 1))
      .option('--horizon <s>', 'planning horizon in seconds (default: the step duration)', parseNumber('--horizon', 0, true))
      .option('--episodes <n>', 'episodes per rule (held-out seeds)', parseInteger('--episodes', 1), 1)
      .option('--quiet', 'do not print the per-step tables (they are still in logs/evaluation.log)')
      .option('--out <dir>', 'run directory (default runs/reactive_eval_<UTC timestamp>)'),
  ).action(async (flags: Flags) => {
    const base = loadWithFlags({ ...flags, maxSteps: flags.steps ?? flags.maxSteps });
    // The original's test script defaulted the horizon to the step duration.
    const config = { ...base, baselines: { ...base.baselines, horizon: flags.horizon ?? base.episode.step_duration } };
    const names = flags.agent === 'both' ? ['reactiveaverage', 'reactivemaximum'] : [flags.agent];
    const policies = await resolvePolicies(names, config, {});
    const result = await runEvaluation({
      command: 'test-reactive-baselines',
      config,
      policies,
      seeds: evaluationSeeds(config.seed, flags.episodes),
      prefix: 'reactive_eval',
      ...(flags.out ? { out: flags.out } : {}),
      ...(flags.quiet ? {} : { print: (t: string) => process.stdout.write(`${t}\n`) }),
    });
    process.stdout.write(
      `${comparisonMarkdown(readAggregatedResults(result.dir))}\nResults in ${result.dir}: summary.json, logs/evaluation.log, plots/\n`,
    );
  });
}
