/**
 * `pnpm bench autoscale [--decisions N] [--config FILE] [--fidelity [--policy NAME] [--days N] [--seeds N]]`
 *
 * 1. Decision latency of the live controller (@autofarm/env/live) per policy: from reading the
 *    signals (a real redis-server, 8 registered workers, 4 busy) to the bounded decision, as its
 *    JSON log's decision_ms; p50/p99 over N decisions on a clock 1000x faster than real time
 *    (so a 2 s cadence is 2 ms), and the controller's CPU per decision (process.cpuUsage over
 *    the run / decisions; the redis-server's CPU is not counted). The fallback (kpa) is fed in
 *    the shadow at every tick, as in production, so its cost is included. Goal: p99 < 5 ms for
 *    a feature-only policy (the general SARSA model, the queueing rule).
 * 2. --fidelity: the same policy as a live controller on the local backend (time scale 10) under
 *    a recurring load (N "days": 60 s at 1 task/s, 40 s at 5 tasks/s), against its episodes on
 *    `sim` for that workload: QoS and worker-seconds side by side (issue 21's 3 pp / 10 %).
 */
import { existsSync } from 'node:fs';
import { loadConfig, mean, parseConfig, quantile, type Config, type Policy } from '@autofarm/core';
import { createClock, redisFactory, startRedisServer } from '@autofarm/farm';
import { createEnv, evaluate, evaluationSeeds } from '@autofarm/env';
import { AutoscaleMetrics, connectLive, runAutoscaler, runLoad, type DecisionRecord } from '@autofarm/env/live';
import { baselineName, createBaseline } from '@autofarm/baselines';
import { loadSarsaModelPolicy } from '@autofarm/agents';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** The policies measured: feature-only ones first; `predictive` when the baselines registry has it. */
function policies(config: Config): Array<[string, () => Policy]> {
  const list: Array<[string, () => Policy]> = [
    ['queueing', () => createBaseline('queueing', config)],
    ['kpa', () => createBaseline('kpa', config)],
  ];
  const model = 'models/sarsa.json';
  if (existsSync(model)) list.push(['sarsa (models/sarsa.json)', () => loadSarsaModelPolicy(model, config)]);
  if (baselineName('predictive') !== null) list.push(['predictive', () => createBaseline('predictive', config)]);
  return list;
}

async function latency(config: Config, decisions: number) {
  const server = await startRedisServer();
  const conn = redisFactory({ host: server.host, port: server.port, password: null, tls: false, db: 0 })('bench');
  const out: Record<string, unknown> = {};
  try {
    const w = config.queues.worker;
    for (let i = 1; i <= 8; i++) await conn.sadd(`${w}:workers`, `w${i}`);
    for (let i = 1; i <= 4; i++) await conn.lpush(`${w}:processing:w${i}`, 'task');
    await conn.set(`${w}:enqueued_total`, 100);
    for (const [name, build] of policies(config)) {
      const records: DecisionRecord[] = [];
      let workers = 8;
      const clock = createClock({ kind: 'monotonic', originNs: String(process.hrtime.bigint()), timeScale: 1000 });
      const target = {
        where: 'memory',
        clock: async () => clock,
        status: async () => ({ workers, ready: workers }),
        apply: async (n: number) => (workers = n),
      };
      const cpu = process.cpuUsage();
      const policy = build();
      await runAutoscaler({
        config: { ...config, autoscale: { ...config.autoscale, stale_after: 1e12 } },
        policy,
        policyName: name,
        fallback: createBaseline('kpa', config),
        conn,
        target,
        metrics: new AutoscaleMetrics(),
        log: (r) => records.push(r),
        maxDecisions: decisions,
      });
      const used = process.cpuUsage(cpu);
      const ms = records.map((r) => r.decision_ms).filter((x): x is number => x !== null);
      out[name] = {
        decisions: ms.length,
        p50_ms: round(quantile(ms, 0.5)),
        p99_ms: round(quantile(ms, 0.99)),
        max_ms: round(Math.max(...ms)),
        cpu_ms_per_decision: round((used.user + used.system) / 1000 / ms.length),
      };
      process.stderr.write(`latency ${name}: ${JSON.stringify(out[name])}\n`);
    }
  } finally {
    conn.disconnect();
    await server.stop();
  }
  return out;
}

async function fidelity(base: Config, policyName: string, days: number, seeds: number) {
  const { freePort } = await import('@autofarm/farm');
  const day = [
    { name: 'night', pattern: 'steady', multiplier: 1, duration: 60 },
    { name: 'peak', pattern: 'steady', multiplier: 5, duration: 40 },
  ];
  const config = parseConfig({
    ...structuredClone(base),
    backend: 'local',
    workload: { ...base.workload, base_rate: 60, phase_shuffle: false, phases: day },
    local: { ...base.local, time_scale: 10 },
    autoscale: { ...base.autoscale, local_redis_port: await freePort() },
  } as unknown as Record<string, unknown>);
  const build = () => createBaseline(policyName, config);
  // Live: one farm for `days` days, the controller in this process.
  const abort = new AbortController();
  let controller: Promise<unknown> = Promise.resolve();
  const fallbacks: DecisionRecord[] = [];
  const load = await runLoad({
    config,
    repeat: days,
    seed: config.seed,
    log: () => {},
    onStarted: () => {
      controller = (async () => {
        const live = await connectLive(config, 'local');
        try {
          await runAutoscaler({
            config,
            policy: build(),
            policyName,
            fallback: createBaseline(config.autoscale.fallback, config),
            conn: live.conn,
            target: live.target,
            metrics: new AutoscaleMetrics(),
            signal: abort.signal,
            log: (r) => (r.fallback ? fallbacks.push(r) : undefined),
          });
        } finally {
          live.close();
        }
      })();
    },
  });
  abort.abort();
  await controller;
  // Sim: the same workload (all days) as episodes, native actuation.
  const simConfig = parseConfig({
    ...structuredClone(config),
    backend: 'sim',
    workload: { ...config.workload, phases: Array.from({ length: days }, () => day).flat() },
    episode: { ...config.episode, max_steps: Math.ceil((days * 100) / config.episode.step_duration) + 40 },
  } as unknown as Record<string, unknown>);
  const sim = await evaluate(build(), () => createEnv(simConfig), evaluationSeeds(config.seed, seeds), { config: simConfig });
  const simQos = mean(sim.map((r) => r.summary.qos_rate));
  const simWs = mean(sim.map((r) => r.summary.worker_seconds));
  return {
    policy: policyName,
    days,
    local: {
      qos: round(load.qos),
      worker_seconds: round(load.workerSeconds, 1),
      tasks: load.collected,
      dead_letters: load.deadLetters,
      fallback_decisions: fallbacks.length,
    },
    sim: { episodes: sim.length, qos: round(simQos), worker_seconds: round(simWs, 1) },
    qos_gap_pp: round((load.qos - simQos) * 100, 2),
    worker_seconds_gap_pct: round(((load.workerSeconds - simWs) / simWs) * 100, 2),
    within_3pp_10pct: Math.abs(load.qos - simQos) * 100 <= 3 && Math.abs(load.workerSeconds - simWs) / simWs <= 0.1,
  };
}

export async function run(args: string[]) {
  const config = loadConfig(flag(args, '--config') ?? 'configuration.yml');
  const decisions = Number(flag(args, '--decisions') ?? 1000);
  const result: Record<string, unknown> & { bench: string } = {
    bench: 'autoscale',
    goal_p99_ms: 5,
    latency: await latency(config, decisions),
  };
  if (args.includes('--fidelity'))
    result.fidelity = await fidelity(
      config,
      flag(args, '--policy') ?? 'queueing',
      Number(flag(args, '--days') ?? 3),
      Number(flag(args, '--seeds') ?? 3),
    );
  return result;
}
