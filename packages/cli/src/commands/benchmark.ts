/** `autofarm benchmark`: every agent on every scenario; the scoreboard the README shows. */
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { UsageError, type ConfigOverride } from '@autofarm/core';
import { DEFAULT_BENCHMARK_AGENTS, replotBenchmark, runBenchmark } from '../benchmark/benchmark.js';
import { rankingSummary } from '../benchmark/summary.js';
import { interruptible } from '../interrupt.js';
import { parseInteger } from '../options.js';
import { SUITES, type Suite } from '../benchmark/suite.js';

interface BenchmarkFlags {
  config: string;
  scenarios?: string[];
  suite?: Suite;
  agents?: string[];
  episodes: number;
  jobs?: number;
  seed?: number;
  actuation?: string;
  backend?: string;
  model?: string;
  dqnModel?: string;
  out?: string;
  plotOnly?: boolean;
  sweep?: number;
  inputDir?: string;
}

export function registerBenchmark(program: Command): void {
  program
    .command('benchmark')
    .description('every agent on every scenario on the same held-out seeds, in parallel; writes scoreboard.md, scoreboard.json and plots')
    .option('--config <file>', 'base configuration file (scenarios/ next to it holds the named scenarios)', 'configuration.yml')
    .option('--scenarios <names...>', 'scenario names or .yml files (default: every scenario of the suite)')
    .addOption(
      new Option(
        '--suite <name>',
        'one-shot: scenarios/*.yml; recurring: scenarios/recurring/*.yml (5 jittered days each), scored from day 2 with day 1 ' +
          'beside it (recurring.md, day1/)',
      )
        .choices(SUITES)
        .default('one-shot'),
    )
    .option(
      '--agents <names...>',
      `agents (default: ${DEFAULT_BENCHMARK_AGENTS.join(' ')}, each rule's <rule>-tuned row after it when the configuration's ` +
        'tuned: block holds its knobs, plus models shipped in models/)',
    )
    .option('--episodes <n>', 'held-out seeds per agent and scenario', parseInteger('--episodes', 1), 20)
    .option('--jobs <n>', `worker threads (default: the machine's cores, ${availableParallelism()} here)`, parseInteger('--jobs', 1))
    .option('--seed <n>', 'base seed (default: configuration seed); evaluation seeds are seed + 1000000 + i', parseInteger('--seed'))
    .addOption(
      new Option(
        '--actuation <mode>',
        'native: each policy at its own cadence and rate limits; step: ±scaling.max_delta per step (default: configuration actuation)',
      ).choices(['native', 'step']),
    )
    .addOption(new Option('--backend <name>', 'farm backend (hindsight needs sim)').choices(['sim', 'local', 'openfaas']))
    .option('--model <file>', 'SARSA model for --agents sarsa (default: models/sarsa.json next to the configuration)')
    .option('--dqn-model <dir>', 'DQN model directory for --agents dqn (default: models/dqn/ next to the configuration)')
    .option('--out <dir>', 'run directory (default runs/benchmark_<UTC timestamp>)')
    .option(
      '--sweep <n>',
      "also run every tuning setting of every rule with knobs on the first n seeds (the Pareto plot's curves; not ranked)",
      parseInteger('--sweep', 1),
    )
    .option('--plot-only', 're-render scoreboard.md and the plots from --input-dir without running episodes')
    .option('--input-dir <dir>', 'an earlier benchmark run directory (with --plot-only)')
    .action(async (flags: BenchmarkFlags) => {
      if (flags.plotOnly) {
        if (!flags.inputDir) throw new UsageError('--plot-only: expected --input-dir DIR, found nothing');
        const r = await replotBenchmark(flags.inputDir, flags.out);
        process.stdout.write(`re-rendered ${[`${r.dir}/scoreboard.md`, ...r.plots].join(', ')}\n`);
        return;
      }
      const overrides: ConfigOverride[] = [
        { path: 'seed', value: flags.seed, flag: '--seed' },
        { path: 'actuation', value: flags.actuation, flag: '--actuation' },
        { path: 'backend', value: flags.backend, flag: '--backend' },
      ].filter((o) => o.value !== undefined);
      const sources = { ...(flags.model ? { model: flags.model } : {}), ...(flags.dqnModel ? { dqnModel: flags.dqnModel } : {}) };
      const result = await interruptible('benchmark', (signal) =>
        runBenchmark({
          signal,
          config: flags.config,
          episodes: flags.episodes,
          overrides,
          ...(flags.scenarios ? { scenarios: flags.scenarios } : {}),
          ...(flags.suite ? { suite: flags.suite } : {}),
          ...(flags.agents ? { agents: flags.agents } : {}),
          ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
          ...(flags.sweep !== undefined ? { sweep: flags.sweep } : {}),
          ...(flags.model || flags.dqnModel ? { sources } : {}),
          ...(flags.out ? { out: flags.out } : {}),
          log: (line) => process.stderr.write(`${line}\n`),
        }),
      );
      if (!result.board) return;
      process.stdout.write(
        `${rankingSummary(result.board)}\n\n` +
          `Results in ${result.dir}: scoreboard.md, scoreboard.json, ${result.plots.map((p) => p.split('/').pop()).join(', ')}\n`,
      );
    });
}
