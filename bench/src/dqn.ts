/**
 * `pnpm bench dqn [config] [--out DIR] [--repeats N]`: how fast the DQN trains and what it learns.
 *
 * 1. Throughput per TensorFlow.js backend (wasm, cpu; tensorflow when tfjs-node is installed):
 *    DQN train steps per second (sample 64 from replay, normalise, 2 target predictions, one
 *    clipped Adam step, Polyak update) and single greedy predictions per second, on the default
 *    9 -> 128 -> 64 -> 3 network. Median of `repeats` timed blocks after a warm-up.
 * 2. The default run, for the canonical workload (`--arrival-process controlled`, phases in order)
 *    and the default `nhpp` arrivals: `autofarm train-dqn` with the configuration's defaults as a
 *    child process, timed from spawn to exit (training, checkpoints, evaluations, files, plot);
 *    RSS, JS heap and live tensors at the start and end of the run, after a full GC (node
 *    --expose-gc; from training_summary.json); then the
 *    final model, every baseline and the oracle on the same 20 held-out seeds.
 * Acceptance (issue 5): controlled QoS > 94.91 % AND mean workers < 14.40 (the seed README's DQN).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaSpace, createRng, loadConfig, median, type Config } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, summarize, type EpisodeRecord } from '@autofarm/env';
import { BASELINE_NAMES, createBaseline } from '@autofarm/baselines';
import { DqnAgent, TfjsQFunction, dqnHyperParams, initTf, loadDqnPolicy, type TfBackendName } from '@autofarm/agents/dqn';
import { runCli } from './cli.js';

const EVAL_EPISODES = 20;

const pct = (x: number) => Math.round(x * 10000) / 100;
const r2 = (x: number) => Math.round(x * 100) / 100;

function figures(records: readonly EpisodeRecord[]) {
  const s = summarize(records);
  return {
    qos: pct(s.qos_rate.mean),
    qos_std: pct(s.qos_rate.std),
    mean_workers: r2(s.mean_workers.mean),
    mean_workers_std: r2(s.mean_workers.std),
    max_workers: r2(s.max_workers.mean),
    scaling_actions: r2(s.scaling_actions.mean),
    reward: r2(s.total_reward.mean),
  };
}

/** Train steps/s and greedy predictions/s on `backend`, with replay filled by random transitions. */
async function throughput(config: Config, backend: TfBackendName, repeats: number) {
  const chosen = await initTf(backend);
  if (chosen !== backend) return { available: false };
  const params = { ...dqnHyperParams(config.dqn), warmupSteps: 0 };
  const agent = new DqnAgent({
    params,
    observationSize: 9,
    actionSpace: new DeltaSpace(config.scaling.max_delta),
    seed: 1,
    createQ: (s, seeds) => TfjsQFunction.create(s, seeds),
  });
  const rng = createRng(2).stream('bench');
  const obs = () => Array.from({ length: 9 }, () => rng.float() * 20);
  for (let i = 0; i < 2000; i++)
    agent.observe({ observation: obs(), action: rng.int(-1, 1), reward: rng.float() * 10 - 5, nextObservation: obs(), terminated: false });
  const rate = (n: number, fn: () => void) => {
    fn();
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) fn();
      rates.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
    return Math.round(median(rates));
  };
  const sample = obs();
  const result = {
    available: true,
    train_steps_per_s: rate(200, () => agent.learn()),
    greedy_predictions_per_s: rate(1000, () => agent.greedy(sample)),
  };
  agent.dispose();
  return result;
}

async function defaultRun(configFile: string, arrival: 'controlled' | 'nhpp', outBase: string) {
  const out = join(outBase, `dqn_${arrival}`);
  const { wallSeconds: wall } = runCli(
    ['train-dqn', '--config', configFile, '--mode', 'original', '--backend', 'sim', '--arrival-process', arrival, '--out', out],
    ['--expose-gc'],
  );
  const summary = JSON.parse(readFileSync(join(out, 'training_summary.json'), 'utf8')) as {
    episodes_completed: number;
    total_steps: number;
    updates: number;
    wall_seconds: number;
    tf_backend: string;
    memory: Record<string, number | boolean>;
  };
  const config = loadConfig(configFile, [
    { path: 'workload.arrival_process', value: arrival },
    { path: 'backend', value: 'sim' },
  ]);
  const seeds = evaluationSeeds(config.seed, EVAL_EPISODES);
  const on = async (policy: Parameters<typeof evaluate>[0]) =>
    figures(await evaluate(policy, () => createEnv(config, { backend: 'sim' }), seeds, { config }));
  const policy = await loadDqnPolicy(join(out, 'models', 'dqn_final'), config);
  const dqn = await on(policy);
  policy.dispose();
  const baselines: Record<string, ReturnType<typeof figures>> = {};
  for (const name of BASELINE_NAMES.filter((n) => n !== 'replay')) baselines[name] = await on(createBaseline(name, config));
  return {
    run_dir: out,
    wall_seconds: r2(wall),
    train_seconds: r2(summary.wall_seconds),
    episodes: summary.episodes_completed,
    env_steps: summary.total_steps,
    gradient_updates: summary.updates,
    tf_backend: summary.tf_backend,
    memory: summary.memory,
    held_out_seeds: [seeds[0], seeds.at(-1)],
    dqn,
    baselines,
    acceptance: {
      qos_above_94_91: dqn.qos > 94.91,
      workers_below_14_40: dqn.mean_workers < 14.4,
      pass: dqn.qos > 94.91 && dqn.mean_workers < 14.4,
    },
  };
}

export async function run(args: string[]) {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const configFile = args[0] && !args[0].startsWith('--') ? args[0] : 'configuration.yml';
  const outBase = flag('--out') ?? mkdtempSync(join(tmpdir(), 'autofarm-bench-dqn-'));
  const repeats = Number(flag('--repeats') ?? 5);
  const config = loadConfig(configFile);
  const backends: Record<string, unknown> = {};
  for (const b of ['tensorflow', 'wasm', 'cpu'] as const) {
    backends[b] = await throughput(config, b, repeats);
    process.stderr.write(`bench dqn: ${b} ${JSON.stringify(backends[b])}\n`);
  }
  const runs: Record<string, unknown> = {};
  for (const arrival of ['controlled', 'nhpp'] as const) {
    runs[arrival] = await defaultRun(configFile, arrival, outBase);
    process.stderr.write(`bench dqn: ${arrival} ${JSON.stringify(runs[arrival])}\n`);
  }
  return {
    bench: 'dqn',
    config: configFile,
    network: [9, ...config.dqn.hidden_layers, 2 * config.scaling.max_delta + 1],
    batch_size: config.dqn.batch_size,
    throughput: backends,
    runs,
  };
}
