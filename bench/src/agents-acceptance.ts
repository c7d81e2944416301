/**
 * `pnpm bench agents-acceptance [config] [--runs DIR] [--out DIR]`: issue 13's acceptance for
 * the general agents, on the benchmark suite (every scenario, 20 held-out seeds), from the K
 * models per agent that `pnpm bench agents` trained (DIR/sarsa/seed_*, DIR/dqn/seed_*; default
 * .bench/agents):
 *   1. `autofarm benchmark` once with every baseline and the yardsticks;
 *   2. `autofarm benchmark --agents sarsa dqn` once per training seed with that seed's models;
 *   3. per scenario and agent: QoS, mean workers and worker-seconds per seed and their mean;
 *      whether any deployable baseline (all but oracle, hindsight, replay; tuned rows included) beats the mean on
 *      both QoS and worker-seconds; over all scenarios the mean QoS and the worker-seconds ratio
 *      to hindsight's; canonical-controlled QoS and mean workers; the worst training seed.
 * Nothing here trains or tunes: the scenarios are evaluation only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BENCHMARK_BASELINES, tunedAgentNames } from '@autofarm/baselines';
import { loadConfig } from '@autofarm/core';
import { runCli } from './cli.js';

const NOT_DEPLOYABLE = /hindsight|oracle|replay/i;

interface Summary {
  qos_rate: { mean: number };
  mean_workers: { mean: number };
  worker_seconds: { mean: number };
}
type Board = { scenarios: Record<string, { agents: Record<string, { summary: Summary }> }> };

function benchmark(configFile: string, out: string, extra: string[]): Board {
  runCli(['benchmark', '--config', configFile, '--episodes', '20', '--out', out, ...extra]);
  return JSON.parse(readFileSync(join(out, 'scoreboard.json'), 'utf8')) as Board;
}

const fig = (s: Summary) => ({ qos: s.qos_rate.mean, mean_workers: s.mean_workers.mean, worker_seconds: s.worker_seconds.mean });
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(avg(xs.map((x) => (x - avg(xs)) ** 2)));
const r4 = (x: number) => Math.round(x * 10000) / 10000;

export async function run(args: string[]) {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const configFile = resolve(args[0] && !args[0].startsWith('--') ? args[0] : 'configuration.yml');
  const runs = resolve(flag('--runs') ?? '.bench/agents');
  const out = resolve(flag('--out') ?? '.bench/agents-acceptance');
  const seedDirs = (agent: string) =>
    readdirSync(join(runs, agent))
      .filter((d) => d.startsWith('seed_'))
      .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const seeds = seedDirs('sarsa');
  const t0 = Date.now();
  // every baseline (the tuned rows too: "beaten by" counts the calibrated rules) and the yardsticks, without the shipped models
  const baseline = benchmark(configFile, join(out, 'baselines'), [
    '--agents',
    ...BENCHMARK_BASELINES,
    ...tunedAgentNames(loadConfig(configFile)),
  ]);
  const perSeed: Record<string, Board> = {};
  for (const s of seeds) {
    const sarsa = join(runs, 'sarsa', s, 'models', 'sarsa_general_final.json');
    const dqn = join(runs, 'dqn', s, 'models', 'dqn_general_final');
    if (!existsSync(sarsa) || !existsSync(dqn)) throw new Error(`missing models of ${s}`);
    perSeed[s] = benchmark(configFile, join(out, s), ['--agents', 'sarsa', 'dqn', '--model', sarsa, '--dqn-model', dqn]);
    process.stderr.write(`bench agents-acceptance: ${s} done\n`);
  }
  const scenarios = Object.keys(baseline.scenarios);
  const agents = Object.keys(perSeed[seeds[0] as string]?.scenarios[scenarios[0] as string]?.agents ?? {});
  const report: Record<string, unknown> = {};
  for (const agent of agents) {
    const rows: Record<string, unknown> = {};
    const qosAll: number[] = [];
    const ratios: number[] = [];
    let wsAgent = 0;
    let wsHind = 0;
    const dominatedOn: string[] = [];
    const seedQos: Record<string, number[]> = {};
    for (const sc of scenarios) {
      const seedFigs = seeds.map((s) => fig((perSeed[s] as Board).scenarios[sc]!.agents[agent]!.summary));
      seeds.forEach((s, i) => (seedQos[s] ??= []).push(seedFigs[i]!.qos));
      const m = {
        qos: avg(seedFigs.map((f) => f.qos)),
        mean_workers: avg(seedFigs.map((f) => f.mean_workers)),
        worker_seconds: avg(seedFigs.map((f) => f.worker_seconds)),
      };
      const base = baseline.scenarios[sc]!.agents;
      const hind = Object.entries(base).find(([n]) => /hindsight/i.test(n))?.[1];
      const beaten = Object.entries(base)
        .filter(([n, a]) => !NOT_DEPLOYABLE.test(n) && a.summary.qos_rate.mean > m.qos && a.summary.worker_seconds.mean < m.worker_seconds)
        .map(([n]) => n);
      if (beaten.length > 0) dominatedOn.push(sc);
      const ratio = hind ? m.worker_seconds / hind.summary.worker_seconds.mean : Number.NaN;
      qosAll.push(m.qos);
      ratios.push(ratio);
      wsAgent += m.worker_seconds;
      wsHind += hind?.summary.worker_seconds.mean ?? 0;
      rows[sc] = {
        mean: { qos: r4(m.qos), mean_workers: r4(m.mean_workers), worker_seconds: Math.round(m.worker_seconds) },
        std_over_seeds: { qos: r4(sd(seedFigs.map((f) => f.qos))), worker_seconds: Math.round(sd(seedFigs.map((f) => f.worker_seconds))) },
        per_seed: Object.fromEntries(
          seeds.map((s, i) => [
            s,
            {
              qos: r4(seedFigs[i]!.qos),
              mean_workers: r4(seedFigs[i]!.mean_workers),
              worker_seconds: Math.round(seedFigs[i]!.worker_seconds),
            },
          ]),
        ),
        hindsight: hind ? { qos: r4(hind.summary.qos_rate.mean), worker_seconds: Math.round(hind.summary.worker_seconds.mean) } : null,
        ws_ratio_to_hindsight: r4(ratio),
        beaten_on_both_by: beaten,
      };
    }
    const worstSeed = Object.entries(seedQos).sort((a, b) => avg(a[1]) - avg(b[1]))[0];
    const cc = rows['canonical-controlled'] as { mean: { qos: number; mean_workers: number } } | undefined;
    report[agent] = {
      scenarios: rows,
      overall: {
        mean_qos: r4(avg(qosAll)),
        mean_ws_ratio_to_hindsight: r4(avg(ratios)),
        total_ws_ratio_to_hindsight: r4(wsAgent / wsHind),
        per_seed_mean_qos: Object.fromEntries(Object.entries(seedQos).map(([s, q]) => [s, r4(avg(q))])),
      },
      worst_training_seed: worstSeed ? { seed: worstSeed[0], mean_qos: r4(avg(worstSeed[1])) } : null,
      acceptance: {
        undominated_on_every_scenario: dominatedOn.length === 0,
        dominated_on: dominatedOn,
        overall_qos_ge_99_and_ws_le_1_2x_hindsight: avg(qosAll) >= 0.99 && wsAgent / wsHind <= 1.2,
        canonical_controlled_qos_ge_99_5_at_le_13_workers: cc ? cc.mean.qos >= 0.995 && cc.mean.mean_workers <= 13 : null,
      },
    };
  }
  return {
    bench: 'agents-acceptance',
    config: configFile,
    training_seeds: seeds,
    scenarios,
    episodes: 20,
    wall_seconds: Math.round((Date.now() - t0) / 100) / 10,
    agents: report,
  };
}
