/** `autofarm convert-trace`: an Azure Functions 2019 per-minute file -> a trace CSV for `pattern: trace`. */
import type { Command } from 'commander';
import { convertTrace, type ConvertTraceOptions } from '../convert-trace.js';
import { parseInteger } from '../options.js';

export function registerConvertTrace(program: Command): void {
  program
    .command('convert-trace')
    .description('one function of an Azure Functions 2019 invocations_per_function_md.anon.dNN.csv -> a minute,count trace CSV')
    .requiredOption('--input <file>', 'the Azure per-minute invocations file (HashOwner,HashApp,HashFunction,Trigger,"1".."1440")')
    .requiredOption('--out <file>', 'the trace CSV to write')
    .option('--function <hash>', 'prefix of the HashFunction to take (default: the busiest function, see --rank)')
    .option('--rank <n>', 'take the n-th busiest function of the file', parseInteger('--rank', 1))
    .option('--start <minute>', 'first minute of the slice, 0-based', parseInteger('--start', 0))
    .option('--minutes <n>', 'minutes in the slice (default: the rest of the day)', parseInteger('--minutes', 1))
    .action((flags: ConvertTraceOptions) => {
      const r = convertTrace({
        input: flags.input,
        out: flags.out,
        ...(flags.function !== undefined ? { function: flags.function } : {}),
        ...(flags.rank !== undefined ? { rank: flags.rank } : {}),
        ...(flags.start !== undefined ? { start: flags.start } : {}),
        ...(flags.minutes !== undefined ? { minutes: flags.minutes } : {}),
      });
      process.stdout.write(
        `wrote ${flags.out}: ${r.minutes} minutes of ${r.function} (${r.trigger}), ${r.total} ` +
          `invocations, mean ${r.meanPerMinute.toFixed(1)}/min, peak ${r.peakPerMinute}/min\n` +
          `replay it with a phase { pattern: trace, trace: { file: ${flags.out}, interval: ` +
          `60 }, multiplier: 1 } and workload.base_rate ${r.meanPerMinute.toFixed(1)} (or a ` +
          `smaller interval to compress time)\n`,
      );
    });
}
