/** `autofarm tune`: a rule's knobs swept on validation workloads at the agents' price; prints and writes the table and the choice. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { TUNABLE_RULES, TUNE_SETTINGS } from '@autofarm/baselines';
import { loadConfig } from '@autofarm/core';
import { parseInteger } from '../options.js';
import { runTune, tuneMarkdown } from '../tune/tune.js';

interface TuneFlags {
  config: string;
  agent: string[];
  episodes: number;
  jobs?: number;
  out?: string;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description(
      `sweep a rule's knob(s) (${TUNE_SETTINGS} settings each) on the general domain's validation workloads at the agents' price ` +
        '(worker-seconds + general.miss_price x misses); writes tune.md and tune.json',
    )
    .requiredOption('--agent <names...>', `rules to tune: ${TUNABLE_RULES.map((t) => t.rule).join(', ')}, or all`)
    .option('--config <file>', 'base configuration file', 'configuration.yml')
    .option(
      '--episodes <n>',
      'validation episodes per setting (seeds seed + 2000000 + i); 40 chose the shipped tuned: values',
      parseInteger('--episodes', 1),
      40,
    )
    .option('--jobs <n>', `worker threads (default: the machine's cores, ${availableParallelism()} here)`, parseInteger('--jobs', 1))
    .option('--out <dir>', 'run directory (default runs/tune_<UTC timestamp>)')
    .action(async (flags: TuneFlags) => {
      const result = await runTune({
        config: flags.config,
        agents: flags.agent,
        episodes: flags.episodes,
        ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
        ...(flags.out ? { out: flags.out } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(tuneMarkdown(result, loadConfig(flags.config).general.miss_price));
      process.stdout.write(`Results in ${result.dir}: tune.md, tune.json\n`);
    });
}
