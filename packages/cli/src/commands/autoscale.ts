/**
 * `autofarm autoscale`: a policy as a long-running autoscaler for a farm that is already
 * serving (`autofarm load`, or the functions on OpenFaaS). One JSON line per decision on
 * stdout (or --log FILE), /metrics /healthz /readyz on --listen:--port, SIGTERM or Ctrl-C
 * ends it after the current decision without touching the count. The library function is
 * @autofarm/env/live's runAutoscaler; this file only resolves flags, policies and the farm.
 */
import { createWriteStream, openSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UsageError, type Config, type ConfigOverride, type Policy } from '@autofarm/core';
import { loadWithFlags, parseInteger, parseNumber } from '../options.js';
import { LIVE_POLICY_NAMES, resolveLivePolicy } from '../autoscale/registry.js';

export interface AutoscaleFlags {
  config: string;
  policy: string;
  model?: string;
  dqnModel?: string;
  backend?: string;
  dryRun?: boolean;
  fallback?: string;
  keepGoing?: boolean;
  listen?: string;
  port?: number;
  redis?: string;
  gateway?: string;
  minWorkers?: number;
  maxWorkers?: number;
  staleAfter?: number;
  scaleDownPerMinute?: number;
  log?: string;
  maxDecisions?: number;
}

function parseRedis(value: string): { host: string; port: number } {
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--redis: expected HOST:PORT (e.g. 127.0.0.1:6399), found "${value}"`);
  return { host: m[1] as string, port };
}

/** The decision log, opened for appending now, so a path that cannot be written is one line and exit 2. */
function openLog(file: string): number {
  try {
    return openSync(file, 'a');
  } catch (error) {
    throw new UsageError(`--log: cannot append to ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function autoscaleConfig(flags: AutoscaleFlags): Config {
  const redis = flags.redis ? parseRedis(flags.redis) : undefined;
  const extra: ConfigOverride[] = [
    { path: 'autoscale.fallback', value: flags.fallback, flag: '--fallback' },
    { path: 'autoscale.listen', value: flags.listen, flag: '--listen' },
    { path: 'autoscale.port', value: flags.port, flag: '--port' },
    { path: 'autoscale.stale_after', value: flags.staleAfter, flag: '--stale-after' },
    { path: 'autoscale.scale_down_per_minute', value: flags.scaleDownPerMinute, flag: '--scale-down-per-minute' },
    { path: 'scaling.min_workers', value: flags.minWorkers, flag: '--min-workers' },
    { path: 'scaling.max_workers', value: flags.maxWorkers, flag: '--max-workers' },
    // The controller never starts a farm, so initial_workers is unused; keep it valid in a narrowed range.
    {
      path: 'scaling.initial_workers',
      value: flags.minWorkers !== undefined || flags.maxWorkers !== undefined ? (flags.minWorkers ?? 1) : undefined,
      flag: '--min-workers',
    },
    { path: 'redis.host', value: redis?.host, flag: '--redis' },
    { path: 'redis.port', value: redis?.port, flag: '--redis' },
    { path: 'openfaas.gateway', value: flags.gateway, flag: '--gateway' },
  ];
  const config = loadWithFlags({ config: flags.config, backend: flags.backend }, extra);
  if (config.backend === 'sim')
    throw new UsageError('--backend: autoscale drives a live farm: expected local or openfaas, found sim (the configuration default)');
  return config;
}

/** The whole command, callable from tests: resolves, serves metrics, connects, runs until aborted. */
export async function runAutoscaleCommand(flags: AutoscaleFlags, signal: AbortSignal): Promise<void> {
  const config = autoscaleConfig(flags);
  const sources = { ...(flags.model ? { model: flags.model } : {}), ...(flags.dqnModel ? { dqnModel: flags.dqnModel } : {}) };
  const fallback = await resolveLivePolicy('--fallback', config.autoscale.fallback, config, {});
  let policy: Policy | null = null;
  let policyError: string | undefined;
  try {
    policy = await resolveLivePolicy('--policy', flags.policy, config, sources);
  } catch (error) {
    if (!flags.keepGoing) throw error;
    policyError = `${flags.policy} could not be built: ${(error as Error).message}`;
    process.stderr.write(`autofarm autoscale: ${policyError}; the fallback ${fallback.name} decides (--keep-going)\n`);
  }
  const live = await import('@autofarm/env/live');
  const metrics = new live.AutoscaleMetrics();
  const out = flags.log ? createWriteStream('', { fd: openLog(flags.log) }) : process.stdout;
  const { server, port } = await live.serveMetrics(metrics, config.autoscale.listen, config.autoscale.port);
  let connection: Awaited<ReturnType<typeof live.connectLive>> | null = null;
  try {
    connection = await live.connectLive(config, config.backend as 'local' | 'openfaas');
    process.stderr.write(
      `autofarm autoscale: ${policy?.name ?? 'none'} (fallback ${fallback.name}) on ${connection.target.where}` +
        `${flags.dryRun ? ', dry run' : ''}; metrics at http://${config.autoscale.listen}:${port}/metrics\n`,
    );
    const summary = await live.runAutoscaler({
      config,
      policy,
      policyName: policy?.name ?? flags.policy,
      ...(policyError ? { policyError } : {}),
      fallback,
      conn: connection.conn,
      target: connection.target,
      metrics,
      log: (record) => out.write(`${JSON.stringify(record)}\n`),
      dryRun: flags.dryRun ?? false,
      signal,
      ...(flags.maxDecisions ? { maxDecisions: flags.maxDecisions } : {}),
    });
    process.stderr.write(
      `autofarm autoscale: stopped after ${summary.decisions} decisions (${summary.fallbackDecisions} by the fallback); ` +
        'the count is left as it is\n',
    );
  } finally {
    connection?.close();
    await new Promise((r) => server.close(r));
    if (out !== process.stdout) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(() => r()));
  }
}

export function registerAutoscale(program: Command): void {
  program
    .command('autoscale')
    .description(
      'run a policy as a long-running autoscaler for a live farm (autofarm load, or OpenFaaS), with /metrics and a fallback rule',
    )
    .option('--config <file>', 'configuration file (its autoscale: block holds the defaults below)', 'configuration.yml')
    .requiredOption('--policy <name>', `policy to run: ${LIVE_POLICY_NAMES.join(', ')}`)
    .option('--model <file>', 'SARSA model file (train-sarsa) for --policy sarsa')
    .option('--dqn-model <dir>', 'DQN model directory (train-dqn) for --policy dqn')
    .addOption(
      new Option(
        '--backend <name>',
        'the farm: local (autofarm load --backend local) or openfaas (default: configuration backend)',
      ).choices(['local', 'openfaas']),
    )
    .option('--dry-run', 'decide and log every decision without scaling')
    .option('--fallback <name>', 'rule used when the policy cannot decide or the signals are stale (default: autoscale.fallback, kpa)')
    .option('--keep-going', 'if the policy cannot be built (a corrupt or mismatched model), run the fallback instead of exiting 2')
    .option('--listen <address>', 'address of /metrics, /healthz, /readyz (default: autoscale.listen, 127.0.0.1)')
    .option(
      '--port <n>',
      'port of /metrics, /healthz, /readyz (default: autoscale.port, 9464; 0 = any free port)',
      parseInteger('--port', 0),
    )
    .option('--redis <host:port>', "the farm's Redis (default: redis.host:port, or 127.0.0.1:autoscale.local_redis_port for local)")
    .option('--gateway <url>', 'openfaas: the gateway URL (default: openfaas.gateway)')
    .option('--min-workers <n>', 'lowest count (default: scaling.min_workers)', parseInteger('--min-workers', 1))
    .option('--max-workers <n>', 'highest count (default: scaling.max_workers)', parseInteger('--max-workers', 1))
    .option(
      '--stale-after <s>',
      'seconds without counter movement or Redis answers before the fallback decides (default: autoscale.stale_after)',
      parseNumber('--stale-after', 0, true),
    )
    .option(
      '--scale-down-per-minute <n>',
      'most workers removed within any 60 s (default: autoscale.scale_down_per_minute)',
      parseInteger('--scale-down-per-minute', 1),
    )
    .option('--log <file>', 'append the JSON decision lines to FILE instead of stdout')
    .addOption(new Option('--max-decisions <n>', 'stop after N decisions (tests)').argParser(parseInteger('--max-decisions', 1)).hideHelp())
    .action(async (flags: AutoscaleFlags) => {
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        await runAutoscaleCommand(flags, abort.signal);
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
    });
}
