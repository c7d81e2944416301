/**
 * `train-sarsa|train-dqn --seeds K`: K independent general trainings in parallel, one child
 * process per run (as many at once as the machine has cores), then every model evaluated on the
 * same episodes: the configuration's workload on its held-out seeds (base + 1 000 000 + i) and
 * random workloads on the validation seeds (base + 2 000 000 + i). Run k trains with seed
 * base + k × 100 000, so the runs' training seeds (base + k × 100 000 + e) never overlap each
 * other nor the held-out ranges for K ≤ 9 and up to 100 000 episodes; run 0 is the single run.
 * Writes seeds.json and seeds.md (the per-seed table, mean ± std, the worst seed).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, std, UsageError, type Config, type Policy } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, summarize, validationSeeds } from '@autofarm/env';
import { createRunDir } from '@autofarm/runs';
import { validateGeneral } from './setting.js';

export const SEED_STRIDE = 100_000;
/** The compiled CLI (tests run the sources, whose sibling bin.js exists only under dist/). */
function cliBin(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? here.replace(/\/src\/training\/multi-seed\.ts$/, '/dist/bin.js')
    : here.replace(/training\/multi-seed\.js$/, 'bin.js');
}

export interface SeedRow {
  seed: number;
  dir: string;
  model: string;
  train_seconds: number;
  wall_seconds: number;
  workload: { qos: number; mean_workers: number; worker_seconds: number };
  validation: { qos: number; mean_workers: number; worker_seconds: number };
}

export interface MultiSeedResult {
  dir: string;
  rows: SeedRow[];
  wallSeconds: number;
  /** The run whose workload QoS is lowest (ties: more worker-seconds). */
  worst: SeedRow;
}

/** argv without `--seeds K`, `--seed S` and `--out DIR` (the parent sets them per run). */
function childArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--seeds' || a === '--seed' || a === '--out') i++;
    else if (!a.startsWith('--seeds=') && !a.startsWith('--seed=') && !a.startsWith('--out=')) out.push(a);
  }
  return out;
}

function runChild(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin(), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', () => {});
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
    log(`started: autofarm ${args.join(' ')}`);
  });
}

const figures = (records: Parameters<typeof summarize>[0]) => {
  const s = summarize(records);
  return { qos: s.qos_rate.mean, mean_workers: s.mean_workers.mean, worker_seconds: s.worker_seconds.mean };
};

export interface MultiSeedOptions {
  command: 'train-sarsa' | 'train-dqn';
  config: Config;
  seeds: number;
  /** The command's own argv after the command name. */
  argv: readonly string[];
  evalEpisodes: number;
  out?: string;
  jobs?: number;
  loadPolicy: (model: string) => Promise<Policy & { dispose?: () => void }>;
  log?: (line: string) => void;
}

export async function trainSeeds(o: MultiSeedOptions): Promise<MultiSeedResult> {
  if (o.seeds < 2) throw new UsageError(`--seeds: expected an integer >= 2, found ${o.seeds}`);
  const log = o.log ?? (() => {});
  const dir = createRunDir({ prefix: `${o.command.replace('train-', '')}_seeds`, ...(o.out ? { out: o.out } : {}) });
  const base = o.config.seed;
  const runs = Array.from({ length: o.seeds }, (_, k) => ({
    seed: base + k * SEED_STRIDE,
    dir: join(dir.path, `seed_${base + k * SEED_STRIDE}`),
  }));
  const args = childArgs(o.argv);
  const started = performance.now();
  const queue = [...runs];
  const jobs = Math.max(1, Math.min(o.jobs ?? availableParallelism(), runs.length));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let r = queue.shift(); r; r = queue.shift())
        await runChild(
          [o.command, ...args, '--seed', String(r.seed), '--out', r.dir, '--eval-episodes', '0', '--checkpoint-every', '0'],
          log,
        );
    }),
  );
  const { readFileSync } = await import('node:fs');
  const rows: SeedRow[] = [];
  const held = evaluationSeeds(base, o.evalEpisodes);
  const valid = validationSeeds(base, o.evalEpisodes);
  for (const r of runs) {
    const summary = JSON.parse(readFileSync(join(r.dir, 'training_summary.json'), 'utf8')) as {
      model: string;
      train_seconds: number;
      wall_seconds: number;
    };
    const policy = await o.loadPolicy(summary.model);
    const workload = figures(await evaluate(policy, () => createEnv(o.config, { backend: 'sim' }), held, { config: o.config }));
    const validation = figures(await validateGeneral(o.config, policy, valid));
    policy.dispose?.();
    rows.push({
      seed: r.seed,
      dir: r.dir,
      model: summary.model,
      train_seconds: summary.train_seconds,
      wall_seconds: summary.wall_seconds,
      workload,
      validation,
    });
  }
  const worst = [...rows].sort(
    (a, b) => a.workload.qos - b.workload.qos || b.workload.worker_seconds - a.workload.worker_seconds,
  )[0] as SeedRow;
  const wallSeconds = (performance.now() - started) / 1000;
  const stat = (f: (r: SeedRow) => number) => ({ mean: mean(rows.map(f)), std: std(rows.map(f)) });
  const aggregate = {
    workload_qos: stat((r) => r.workload.qos),
    workload_mean_workers: stat((r) => r.workload.mean_workers),
    workload_worker_seconds: stat((r) => r.workload.worker_seconds),
    validation_qos: stat((r) => r.validation.qos),
    validation_worker_seconds: stat((r) => r.validation.worker_seconds),
    train_seconds: stat((r) => r.train_seconds),
  };
  dir.writeJson('seeds.json', {
    command: o.command,
    base_seed: base,
    seeds: runs.map((r) => r.seed),
    eval_episodes: o.evalEpisodes,
    held_out_seeds: [held[0], held.at(-1)],
    validation_seeds: [valid[0], valid.at(-1)],
    jobs,
    wall_seconds: wallSeconds,
    rows,
    aggregate,
    worst_seed: worst.seed,
  });
  dir.writeText('seeds.md', seedsMarkdown(rows, aggregate, worst, wallSeconds));
  dir.close();
  return { dir: dir.path, rows, wallSeconds, worst };
}

const pct = (x: number) => (x * 100).toFixed(2);

export function seedsMarkdown(
  rows: readonly SeedRow[],
  a: Record<string, { mean: number; std: number }>,
  worst: SeedRow,
  wall: number,
): string {
  const lines = [
    '| seed | workload QoS [%] | mean workers | worker-seconds | validation QoS [%] | validation worker-seconds | training [s] |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.seed} | ${pct(r.workload.qos)} | ${r.workload.mean_workers.toFixed(2)} | ${r.workload.worker_seconds.toFixed(0)} ` +
        `| ${pct(r.validation.qos)} | ${r.validation.worker_seconds.toFixed(0)} | ${r.train_seconds.toFixed(1)} ` +
        `|`,
    ),
    `| mean ± std | ${pct(a.workload_qos!.mean)} ± ${pct(a.workload_qos!.std)} | ${a.workload_mean_workers!.mean.toFixed(2)} ` +
      `± ${a.workload_mean_workers!.std.toFixed(2)} | ${a.workload_worker_seconds!.mean.toFixed(0)} ` +
      `± ${a.workload_worker_seconds!.std.toFixed(0)} | ${pct(a.validation_qos!.mean)} ` +
      `± ${pct(a.validation_qos!.std)} | ${a.validation_worker_seconds!.mean.toFixed(0)} ` +
      `± ${a.validation_worker_seconds!.std.toFixed(0)} | ${a.train_seconds!.mean.toFixed(1)} ` +
      `± ${a.train_seconds!.std.toFixed(1)} |`,
    '',
    `worst training seed: ${worst.seed} (workload QoS ${pct(worst.workload.qos)} % at ` +
      `${worst.workload.mean_workers.toFixed(2)} workers); all runs in ${wall.toFixed(1)} ` +
      `s`,
  ];
  return `${lines.join('\n')}\n`;
}
