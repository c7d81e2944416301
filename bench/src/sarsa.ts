/**
 * `pnpm bench sarsa [config] [--out DIR]`: the default SARSA run, timed, and what it learned.
 *
 * For the canonical workload as the original ran it (`--arrival-process controlled`, phases in
 * order) and for the default `nhpp` arrivals:
 *   1. `autofarm train-sarsa` with the configuration's defaults, as a child process, timed from
 *      spawn to exit (what a user waits for: training, 10 checkpoint evaluations, files, plot);
 *   2. its final greedy evaluation on 20 held-out seeds (evaluation_metrics.json's last entry);
 *   3. every baseline and the clairvoyant oracle on the same 20 seeds;
 *   4. the same trained policy on shuffled phases (a new order per episode): how much it relies on
 *      input_q being the phase index of a fixed timetable (reference §16 item 3).
 * Acceptance (issue 4): controlled QoS > 99.2 % and mean workers < 14.78 at once.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, summarize, type EpisodeRecord } from '@autofarm/env';
import { BASELINE_NAMES, createBaseline } from '@autofarm/baselines';
import { loadSarsaPolicy } from '@autofarm/agents';
import { runCli } from './cli.js';

const EVAL_EPISODES = 20;

interface Figures {
  qos: number;
  qos_std: number;
  mean_workers: number;
  mean_workers_std: number;
  reward: number;
}

const pct = (x: number) => Math.round(x * 10000) / 100;
const r2 = (x: number) => Math.round(x * 100) / 100;

function figures(records: readonly EpisodeRecord[]): Figures {
  const s = summarize(records);
  return {
    qos: pct(s.qos_rate.mean),
    qos_std: pct(s.qos_rate.std),
    mean_workers: r2(s.mean_workers.mean),
    mean_workers_std: r2(s.mean_workers.std),
    reward: r2(s.total_reward.mean),
  };
}

async function evaluateOn(config: Config, policy: Parameters<typeof evaluate>[0]): Promise<Figures> {
  return figures(
    await evaluate(policy, () => createEnv(config, { backend: 'sim' }), evaluationSeeds(config.seed, EVAL_EPISODES), { config }),
  );
}

async function workload(configFile: string, arrival: 'controlled' | 'nhpp', outBase: string) {
  const out = join(outBase, arrival);
  const { wallSeconds: wall } = runCli([
    'train-sarsa',
    '--config',
    configFile,
    '--mode',
    'original',
    '--backend',
    'sim',
    '--arrival-process',
    arrival,
    '--eval-episodes',
    String(EVAL_EPISODES),
    '--out',
    out,
  ]);
  const summary = JSON.parse(readFileSync(join(out, 'training_summary.json'), 'utf8')) as {
    episodes_completed: number;
    train_seconds: number;
    table_size: number;
  };
  const checkpoints = (
    JSON.parse(readFileSync(join(out, 'evaluation_metrics.json'), 'utf8')) as { checkpoints: Array<Record<string, number>> }
  ).checkpoints;
  const last = checkpoints.at(-1) as Record<string, number>;
  const config = loadConfig(configFile, [
    { path: 'workload.arrival_process', value: arrival },
    { path: 'backend', value: 'sim' },
  ]);
  const model = join(out, 'models', 'sarsa_final.json');
  const sarsa = {
    qos: pct(last.mean_final_qos as number),
    qos_std: pct(last.std_final_qos as number),
    mean_workers: r2(last.mean_mean_workers as number),
    mean_workers_std: r2(last.std_mean_workers as number),
    reward: r2(last.mean_total_reward as number),
  };
  const baselines: Record<string, Figures> = {};
  for (const name of BASELINE_NAMES.filter((n) => n !== 'replay')) baselines[name] = await evaluateOn(config, createBaseline(name, config));
  const shuffledConfig = { ...config, workload: { ...config.workload, phase_shuffle: true, phase_shuffle_seed: null } };
  const shuffled = {
    sarsa: await evaluateOn(shuffledConfig, loadSarsaPolicy(model, config)),
    oracle: await evaluateOn(shuffledConfig, createBaseline('oracle', shuffledConfig)),
  };
  const [bestName, best] = Object.entries(baselines)
    .filter(([n]) => n !== 'oracle')
    .sort((a, b) => b[1].qos - a[1].qos)[0] as [string, Figures];
  return {
    wall_seconds: r2(wall),
    train_seconds: r2(summary.train_seconds),
    episodes: summary.episodes_completed,
    table_size: summary.table_size,
    sarsa,
    accepted: sarsa.qos > 99.2 && sarsa.mean_workers < 14.78,
    best_baseline: { name: bestName, ...best },
    oracle: baselines.oracle,
    baselines,
    shuffled_phases: shuffled,
    run_directory: out,
  };
}

export async function run(args: string[]) {
  const outAt = args.indexOf('--out');
  const outBase = resolve(outAt >= 0 ? (args[outAt + 1] ?? '.bench/sarsa') : '.bench/sarsa');
  const configFile = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out') ?? 'configuration.yml');
  const controlled = await workload(configFile, 'controlled', outBase);
  const nhpp = await workload(configFile, 'nhpp', outBase);
  return {
    bench: 'sarsa',
    config: configFile,
    eval_episodes: EVAL_EPISODES,
    acceptance: 'controlled: QoS > 99.2 % and mean workers < 14.78',
    controlled,
    nhpp,
    node: process.version,
  };
}
