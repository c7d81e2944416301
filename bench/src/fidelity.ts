/**
 * `pnpm bench fidelity [--config FILE] [--episodes N] [--time-scales 1,10] [--agents static,reactiveaverage] [--reuse-local]`
 *
 * Does the simulator predict the real farm? The same policies on the same evaluation seeds run
 * on `local` (real redis-server and processes) at each time scale and on `sim`, QoS and mean
 * workers side by side.
 *
 * The simulator is run twice: with configuration.yml's sim settings as they are, and "tuned" to
 * the overheads measured in the local episodes themselves, converted to program seconds:
 * - dispatch_latency: a worker's per-task overhead = timer overrun of the hold + the gap between
 *   finishing one task and starting the next queued one (the sim adds dispatch_latency to every
 *   task's busy time);
 * - collect_latency: worker result -> collector verdict;
 * - scale_up_delay: scale-up request -> the new worker ready (policy-visible cold start).
 * Real overheads do not shrink with time_scale, so in program seconds they grow with it: the
 * tuned values are per time scale. The gap is |local - sim tuned| QoS in percentage points,
 * averaged over the seeds. The local half (minutes per episode at time_scale 1) is saved in
 * .bench/fidelity/; `--reuse-local` re-tunes and re-runs only the simulator on it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig, mean, parseConfig, type Config, type ConfigOverride, type OutputRecord } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, type EpisodeRecord } from '@autofarm/env';
import type { LocalBackend } from '@autofarm/env/local';
import { createBaseline } from '@autofarm/baselines';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Per-task overheads in program seconds from a local episode's output records. */
export function measureOverheads(records: readonly OutputRecord[]) {
  const overrun: number[] = [];
  const collect: number[] = [];
  const byWorker = new Map<string, OutputRecord[]>();
  for (const r of records) {
    if (r.task_start_timestamp === undefined || r.worker_id === undefined) continue;
    overrun.push(r.task_work_timestamp - r.task_start_timestamp - (r.processing_time ?? 0));
    collect.push(r.task_collect_timestamp - r.task_work_timestamp);
    const list = byWorker.get(r.worker_id) ?? [];
    list.push(r);
    byWorker.set(r.worker_id, list);
  }
  // Back to back: the next task was already queued when the previous one finished.
  const gaps: number[] = [];
  for (const list of byWorker.values()) {
    list.sort((a, b) => (a.task_start_timestamp as number) - (b.task_start_timestamp as number));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as OutputRecord;
      const next = list[i] as OutputRecord;
      if (next.task_emit_timestamp < prev.task_work_timestamp) gaps.push((next.task_start_timestamp as number) - prev.task_work_timestamp);
    }
  }
  return { overrun: mean(overrun), gap: mean(gaps), collect: mean(collect), tasks: overrun.length, backToBack: gaps.length };
}

function readLocalPhase(path: string, seeds: number[], agents: string[]): LocalPhase | null {
  if (!existsSync(path)) return null;
  const phase = JSON.parse(readFileSync(path, 'utf8')) as LocalPhase;
  const same = JSON.stringify(phase.seeds) === JSON.stringify(seeds) && agents.every((a) => phase.records[a]?.length === seeds.length);
  return same ? phase : null;
}

interface Row {
  time_scale: number;
  agent: string;
  local_qos: number[];
  local_workers: number[];
  sim_default_qos: number[];
  sim_tuned_qos: number[];
  sim_tuned_workers: number[];
}

/** Runs `agent` on `seeds`; on local, `onEpisode` sees each episode's records and `onClose` the backend's stats. */
async function runAgent(
  config: Config,
  agent: string,
  seeds: number[],
  onEpisode?: (backend: LocalBackend) => void,
  onClose?: (backend: LocalBackend) => void,
): Promise<EpisodeRecord[]> {
  return evaluate(
    createBaseline(agent, config),
    async () => {
      const env = await createEnv(config);
      if (config.backend === 'local') {
        const backend = env.backend as LocalBackend;
        // runEpisode resets the env per seed; gather what each episode measured before the next reset.
        const reset = env.reset.bind(env);
        env.reset = async (options) => {
          if (backend.records().length > 0) onEpisode?.(backend);
          return reset(options);
        };
        const close = env.close.bind(env);
        env.close = async () => {
          if (backend.records().length > 0) onEpisode?.(backend);
          onClose?.(backend);
          return close();
        };
      }
      return env;
    },
    seeds,
    { config },
  );
}

interface LocalPhase {
  seeds: number[];
  agents: string[];
  records: Record<string, EpisodeRecord[]>;
  overheads: Array<ReturnType<typeof measureOverheads>>;
  scaleUpsMs: number[];
}

/** Where the local half of a run is kept, so `--reuse-local` can redo only the (fast) sim half. */
const localCache = (ts: number) => `.bench/fidelity/local-x${ts}.json`;

export async function run(args: string[]) {
  const file = flag(args, '--config') ?? 'configuration.yml';
  const episodes = Number(flag(args, '--episodes') ?? 2);
  const timeScales = (flag(args, '--time-scales') ?? '1,10').split(',').map(Number);
  const agents = (flag(args, '--agents') ?? 'static,reactiveaverage').split(',');
  const reuseLocal = args.includes('--reuse-local');
  // Read the file once: every variant below derives from this snapshot (the file may be edited
  // while a 20-minute run is going on).
  const base = loadConfig(file);
  const variant = (overrides: ConfigOverride[]) => parseConfig(structuredClone(base), file, overrides);
  const seeds = evaluationSeeds(base.seed, episodes);
  const log = (line: string) => process.stderr.write(`fidelity: ${line}\n`);
  const rows: Row[] = [];
  const tuned: Record<
    string,
    { dispatch_latency: number; collect_latency: number; scale_up_delay: number; measured_tasks: number; scale_ups: number }
  > = {};

  for (const ts of timeScales) {
    const local = variant([
      { path: 'backend', value: 'local' },
      { path: 'local.time_scale', value: ts },
    ]);
    let phase = reuseLocal ? readLocalPhase(localCache(ts), seeds, agents) : null;
    if (phase) log(`x${ts}: reusing the local episodes in ${localCache(ts)}`);
    else {
      phase = { seeds, agents, records: {}, overheads: [], scaleUpsMs: [] };
      const current = phase;
      for (const agent of agents) {
        const started = performance.now();
        const records = await runAgent(
          local,
          agent,
          seeds,
          (backend) => current.overheads.push(measureOverheads(backend.records())),
          (backend) => current.scaleUpsMs.push(...backend.stats().scaleUpToReadyMs),
        );
        current.records[agent] = records;
        log(
          `local x${ts} ${agent}: QoS ${records.map((r) => (r.summary.qos_rate * 100).toFixed(1)).join(', ')} ` +
            `% (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
      mkdirSync(dirname(localCache(ts)), { recursive: true });
      writeFileSync(localCache(ts), `${JSON.stringify(phase)}\n`);
    }
    const { overheads, scaleUpsMs: scaleUps } = phase;
    const localRuns = new Map(Object.entries(phase.records));
    // Real overheads in program seconds at this time scale.
    const weight = (f: (o: ReturnType<typeof measureOverheads>) => number) => mean(overheads.map(f));
    const dispatch = Math.max(0, weight((o) => o.overrun) + weight((o) => o.gap));
    const collect = Math.max(
      0,
      weight((o) => o.collect),
    );
    const scaleUp = scaleUps.length > 0 ? (mean(scaleUps) / 1000) * ts : 0;
    tuned[`x${ts}`] = {
      dispatch_latency: round(dispatch),
      collect_latency: round(collect),
      scale_up_delay: round(scaleUp),
      measured_tasks: overheads.reduce((a, o) => a + o.tasks, 0),
      scale_ups: scaleUps.length,
    };
    log(`x${ts} measured: dispatch ${round(dispatch)} s, collect ${round(collect)} s, scale-up ${round(scaleUp)} s (program seconds)`);

    const simDefault = variant([{ path: 'backend', value: 'sim' }]);
    const simTuned = variant([
      { path: 'backend', value: 'sim' },
      { path: 'sim.dispatch_latency', value: dispatch },
      { path: 'sim.collect_latency', value: collect },
      { path: 'sim.scale_up_delay', value: scaleUp },
    ]);
    for (const agent of agents) {
      const l = localRuns.get(agent) as EpisodeRecord[];
      const d = await runAgent(simDefault, agent, seeds);
      const t = await runAgent(simTuned, agent, seeds);
      rows.push({
        time_scale: ts,
        agent,
        local_qos: l.map((r) => r.summary.qos_rate),
        local_workers: l.map((r) => r.summary.mean_workers),
        sim_default_qos: d.map((r) => r.summary.qos_rate),
        sim_tuned_qos: t.map((r) => r.summary.qos_rate),
        sim_tuned_workers: t.map((r) => r.summary.mean_workers),
      });
    }
  }

  const table = rows.map((r) => {
    const gap = mean(r.local_qos.map((q, i) => Math.abs(q - (r.sim_tuned_qos[i] as number)))) * 100;
    const gapDefault = mean(r.local_qos.map((q, i) => Math.abs(q - (r.sim_default_qos[i] as number)))) * 100;
    return {
      time_scale: r.time_scale,
      agent: r.agent,
      local_qos_pct: round(mean(r.local_qos) * 100, 2),
      sim_tuned_qos_pct: round(mean(r.sim_tuned_qos) * 100, 2),
      sim_default_qos_pct: round(mean(r.sim_default_qos) * 100, 2),
      gap_pp: round(gap, 2),
      gap_default_pp: round(gapDefault, 2),
      local_workers: round(mean(r.local_workers), 2),
      sim_tuned_workers: round(mean(r.sim_tuned_workers), 2),
      per_seed_local_qos_pct: r.local_qos.map((q) => round(q * 100, 2)),
      per_seed_sim_tuned_qos_pct: r.sim_tuned_qos.map((q) => round(q * 100, 2)),
    };
  });
  process.stderr.write(
    '\n| x | agent | local QoS % | sim tuned QoS % | gap pp | sim default QoS % | local ' +
      'workers | sim workers |\n|---:|---|---:|---:|---:|---:|---:|---:|\n',
  );
  for (const t of table)
    process.stderr.write(
      `| ${t.time_scale} | ${t.agent} | ${t.local_qos_pct} | ${t.sim_tuned_qos_pct} | ${t.gap_pp} ` +
        `| ${t.sim_default_qos_pct} | ${t.local_workers} | ${t.sim_tuned_workers} |\n`,
    );
  const maxGap = Math.max(...table.map((t) => t.gap_pp));
  return {
    bench: 'fidelity',
    seeds,
    agents,
    time_scales: timeScales,
    max_gap_pp: maxGap,
    within_3pp: maxGap <= 3,
    tuned,
    sim_default: base.sim,
    results: table,
    load_average: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
  };
}
