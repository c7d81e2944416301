/**
 * `autofarm simulate`: one episode with a fixed worker count; the quickest way to see the farm
 * react to the workload.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Config, Policy } from '@autofarm/core';
import { createEnv, runEpisode, type EpisodeRecord } from '@autofarm/env';
import { makeDirs } from '@autofarm/runs';
import { addEpisodeOptions, loadWithFlags, parseInteger, type EpisodeFlags } from '../options.js';
import { formatTable, STEP_HEADERS, stepRows, summaryLines } from '../table.js';

const hold: Policy = { name: 'hold', reset: () => undefined, act: () => 0 };

/** Run one episode holding the configured initial worker count; writes summary.json and steps.jsonl into `out` if given. */
export async function simulate(config: Config, options: { seed: number; out?: string }): Promise<EpisodeRecord> {
  const env = await createEnv(config);
  try {
    const record = await runEpisode(env, hold, { seed: options.seed, config });
    if (options.out) {
      makeDirs(options.out, '--out');
      writeFileSync(
        join(options.out, 'summary.json'),
        `${JSON.stringify(
          { seed: options.seed, backend: config.backend, workers: config.scaling.initial_workers, ...record.summary },
          null,
          2,
        )}\n`,
      );
      const lines = record.actions.map((action, i) =>
        JSON.stringify({
          step: i + 1,
          time: record.times[i],
          action,
          workers: record.worker_counts[i],
          worker_q: record.queue_lengths[i],
          qos_rate: record.qos_rates[i],
          avg_time: record.avg_times[i],
          max_time: record.max_times[i],
          arrival_rate: record.arrival_rates[i],
          reward: record.rewards[i],
        }),
      );
      writeFileSync(join(options.out, 'steps.jsonl'), `${lines.join('\n')}\n`);
    }
    return record;
  } finally {
    await env.close();
  }
}

export function registerSimulate(program: Command): void {
  addEpisodeOptions(
    program
      .command('simulate')
      .description('run one episode with a fixed worker count and print a per-step table and a summary')
      .option('--workers <n>', 'worker count held for the whole episode (default: scaling.initial_workers)', parseInteger('--workers', 1))
      .option('--out <dir>', 'write summary.json and steps.jsonl into this directory'),
  ).action(async (flags: EpisodeFlags & { workers?: number }) => {
    // --workers is named in errors as the user typed it (not as --initial-workers).
    const config = loadWithFlags(flags, [{ path: 'scaling.initial_workers', value: flags.workers, flag: '--workers' }]);
    const record = await simulate(config, { seed: config.seed, ...(flags.out ? { out: flags.out } : {}) });
    process.stdout.write(`${formatTable(STEP_HEADERS, stepRows(record))}\n\n${summaryLines(record)}\n`);
    if (flags.out) process.stdout.write(`wrote ${join(flags.out, 'summary.json')} and steps.jsonl\n`);
  });
}
