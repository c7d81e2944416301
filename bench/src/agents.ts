/**
 * `pnpm bench agents [config] [--out DIR] [--seeds K]`: the default general training of both
 * agents, K seeds each (default 5), as a user runs it: `autofarm train-sarsa --seeds K` then
 * `autofarm train-dqn --seeds K`, child processes timed from spawn to exit (K runs in parallel on
 * all cores, then every model evaluated on the same held-out episodes). Reports the wall time of
 * each and in all (issue 13's budget: ≤ 5 minutes on a 2-core machine), the per-seed table
 * (seeds.json) and, for the DQN, where the time goes: env steps and gradient updates per run.
 */
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './cli.js';

function train(command: string, configFile: string, seeds: number, out: string) {
  const { wallSeconds: wall } = runCli([
    command,
    '--config',
    configFile,
    '--mode',
    'general',
    '--seeds',
    String(seeds),
    '--eval-episodes',
    '20',
    '--out',
    out,
  ]);
  const result = JSON.parse(readFileSync(join(out, 'seeds.json'), 'utf8')) as {
    rows: Array<{ dir: string; train_seconds: number }>;
  } & Record<string, unknown>;
  const runs = result.rows.map((r) => JSON.parse(readFileSync(join(r.dir, 'training_summary.json'), 'utf8')) as Record<string, unknown>);
  return {
    ...result,
    wall_seconds: Math.round(wall * 10) / 10,
    runs: runs.map((s) => ({
      episodes: s.episodes_completed,
      env_steps: s.total_steps,
      gradient_updates: s.updates,
      train_seconds: s.train_seconds,
    })),
  };
}

export async function run(args: string[]) {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const configFile = resolve(args[0] && !args[0].startsWith('--') ? args[0] : 'configuration.yml');
  const out = resolve(flag('--out') ?? '.bench/agents');
  // the default directory is this bench's own scratch space: a second run replaces the first
  // (train-* refuses a non-empty --out); a directory the user names is left to the CLI's check
  if (flag('--out') === undefined) rmSync(out, { recursive: true, force: true });
  const seeds = Number(flag('--seeds') ?? 5);
  const load = loadavg()[0];
  const sarsa = train('train-sarsa', configFile, seeds, join(out, 'sarsa'));
  process.stderr.write(`bench agents: sarsa ${sarsa.wall_seconds} s\n`);
  const dqn = train('train-dqn', configFile, seeds, join(out, 'dqn'));
  process.stderr.write(`bench agents: dqn ${dqn.wall_seconds} s\n`);
  const total = Math.round((sarsa.wall_seconds + dqn.wall_seconds) * 10) / 10;
  return {
    bench: 'agents',
    config: configFile,
    seeds,
    cores: availableParallelism(),
    load_average_at_start: load,
    total_wall_seconds: total,
    within_5_minutes: total <= 300,
    sarsa,
    dqn,
  };
}
