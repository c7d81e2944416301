/** `autofarm convert-trace`: an Azure Functions 2019 per-minute file -> a trace CSV for `pattern: trace`. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '@autofarm/core';
import { convertTrace, traceScenarioYaml, type ConvertTraceOptions } from '../convert-trace.js';
import { parseInteger, parseNumber } from '../options.js';

/** The schema's default step (episode.step_duration) when there is no configuration to read it from. */
const DEFAULT_STEP_SECONDS = 8;

export function registerConvertTrace(program: Command): void {
  program
    .command('convert-trace')
    .description(
      'one function of an Azure Functions 2019 invocations_per_function_md.anon.dNN.csv -> a minute,count trace CSV, ' +
        'and a scenario that replays it (printed)',
    )
    .requiredOption('--input <file>', 'the Azure per-minute invocations file (HashOwner,HashApp,HashFunction,Trigger,"1".."1440")')
    .requiredOption('--out <file>', 'the trace CSV to write')
    .option('--function <hash>', 'prefix of the HashFunction to take (default: the busiest function, see --rank)')
    .option('--rank <n>', 'take the n-th busiest function of the file', parseInteger('--rank', 1))
    .option('--start <minute>', 'first minute of the slice, 0-based', parseInteger('--start', 0))
    .option('--minutes <n>', 'minutes in the slice (default: the rest of the day)', parseInteger('--minutes', 1))
    .option(
      '--interval <s>',
      'episode seconds per trace minute in the printed scenario (60 = real time)',
      parseNumber('--interval', 0, true),
      60,
    )
    .option(
      '--config <file>',
      'configuration the scenario will overlay; its episode.step_duration sizes episode.max_steps ' +
        `(default: configuration.yml if present, else ${DEFAULT_STEP_SECONDS} s steps)`,
    )
    .action((flags: ConvertTraceOptions & { interval: number; config?: string }) => {
      const r = convertTrace({
        input: flags.input,
        out: flags.out,
        ...(flags.function !== undefined ? { function: flags.function } : {}),
        ...(flags.rank !== undefined ? { rank: flags.rank } : {}),
        ...(flags.start !== undefined ? { start: flags.start } : {}),
        ...(flags.minutes !== undefined ? { minutes: flags.minutes } : {}),
      });
      const config = flags.config ?? 'configuration.yml';
      const stepDuration = existsSync(config) ? loadConfig(config).episode.step_duration : DEFAULT_STEP_SECONDS;
      process.stdout.write(
        `wrote ${flags.out}: ${r.minutes} minutes of ${r.function} (${r.trigger}), ${r.total} ` +
          `invocations, mean ${r.meanPerMinute.toFixed(1)}/min, peak ${r.peakPerMinute}/min\n` +
          `a scenario that replays it (save it as scenarios/<name>.yml and run --scenario <name>; ` +
          `--interval compresses time):\n\n` +
          `${traceScenarioYaml(r, { file: flags.out, interval: flags.interval, stepDuration })}\n`,
      );
    });
}
