/**
 * `autofarm load`: a farm under a scenario's workload (repeated --repeat times), for a person to
 * watch `autofarm autoscale` work. One JSON status line per step on stdout; ends when every
 * task is collected, or on Ctrl-C. The library function is @autofarm/env/live's runLoad.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '@autofarm/core';
import { loadWithFlags, parseInteger, parseNumber } from '../options.js';

interface LoadFlags {
  config: string;
  scenario?: string;
  repeat: number;
  backend?: string;
  seed?: number;
  timeScale?: number;
  initialWorkers?: number;
  redisPort?: number;
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('run a farm under a scenario (no episode bookkeeping, no policy) for autofarm autoscale to scale')
    .option('--config <file>', 'configuration file', 'configuration.yml')
    .option(
      '--scenario <name|file>',
      'a workload scenario overlaid on the configuration: a name from scenarios/ (next to --config) or a .yml file',
    )
    .option('--repeat <n>', "run the scenario's phases N times back to back (a recurring load)", parseInteger('--repeat', 1), 1)
    .addOption(
      new Option('--backend <name>', 'local (real processes on this machine) or openfaas (default: configuration backend)').choices([
        'local',
        'openfaas',
      ]),
    )
    .option('--seed <n>', 'seed of the arrivals and tasks (default: configuration seed)', parseInteger('--seed'))
    .option('--time-scale <x>', 'local: divide every duration by x', parseNumber('--time-scale', 0, true))
    .option('--initial-workers <n>', 'workers at the start', parseInteger('--initial-workers', 1))
    .option(
      '--redis-port <n>',
      'local: port of the redis-server it starts (default: autoscale.local_redis_port, 6399)',
      parseInteger('--redis-port', 1),
    )
    .action(async (flags: LoadFlags) => {
      const config = loadWithFlags(flags, [{ path: 'autoscale.local_redis_port', value: flags.redisPort, flag: '--redis-port' }]);
      if (config.backend === 'sim')
        throw new UsageError('--backend: load runs a live farm: expected local or openfaas, found sim (the configuration default)');
      const { runLoad } = await import('@autofarm/env/live');
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        const summary = await runLoad({
          config,
          repeat: flags.repeat,
          seed: config.seed,
          signal: abort.signal,
          log: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
          onStarted: ({ redis }) => {
            const where = config.backend === 'local' && flags.redisPort ? ` --redis ${redis.host}:${redis.port}` : '';
            process.stderr.write(
              `autofarm load: farm running, Redis at ${redis.host}:${redis.port}. In another terminal:\n` +
                `  autofarm autoscale --policy kpa --backend ${config.backend}${where}\n`,
            );
          },
        });
        process.stderr.write(
          `autofarm load: ${summary.aborted ? 'stopped' : 'done'}: ${summary.collected} of ${summary.enqueued} tasks collected, ` +
            `QoS ${(summary.qos * 100).toFixed(1)} %, ${summary.deadLetters} dead letters\n`,
        );
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
}
