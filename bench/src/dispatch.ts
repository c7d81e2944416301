/**
 * `pnpm bench dispatch [--config FILE] [--rate TASKS_PER_S] [--seconds S] [--workers N] [--seed N] [--appendfsync P]`
 *
 * Dispatch overhead of the local farm at low load, in real milliseconds: from the emitter's push
 * of a task (task_emit_timestamp) to a worker starting it (task_start_timestamp), both on the
 * one shared monotonic clock. Defaults: 2 tasks/s for 100 s with 12 workers at time_scale 1
 * (offered load 3 busy workers of 12, so a task essentially never waits for a worker: with
 * M/G/c and c = 12, a = 3, P(wait) < 1e-4). Also reports the collect hop (worker result ->
 * collector verdict), and what the append-only file's fsync policy costs: the latency of the
 * emitter's atomic push (Lua LPUSH + INCR + SADD of a ~400-byte task) against a private
 * redis-server with appendfsync always / everysec / no, 2000 sequential pushes each. Last, the
 * real cold start: 5 scale-ups one second apart into a backlog, with local.warm_pool 0 (a new
 * process per scale-up) and 2 (standby processes), from the request to the worker being ready
 * and to its first task.
 */
import { loadConfig, parseConfig, quantile, queueNames, type Config, type QueueNames } from '@autofarm/core';
import { createEnv } from '@autofarm/env';
import { createLocalBackend, type LocalBackend } from '@autofarm/env/local';
import { enqueueScript, redisFactory, startRedisServer } from '@autofarm/farm';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(3));
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? 0),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** Sequential pushes against a fresh server with `policy`: per-push latency and pushes/s. */
async function fsyncCost(policy: 'always' | 'everysec' | 'no', pushes: number, names: QueueNames) {
  const server = await startRedisServer({ appendfsync: policy });
  const conn = redisFactory({ host: server.host, port: server.port, password: null, tls: false, db: 0 })('fsync-cost');
  const payload = JSON.stringify({ pad: 'x'.repeat(380) });
  const latencies: number[] = [];
  try {
    await conn.ping();
    const started = performance.now();
    for (let i = 0; i < pushes; i++) {
      const t0 = performance.now();
      await enqueueScript.run(conn, [names.generatedIds, names.worker, names.enqueuedTotal], [`t${i}`, payload]);
      latencies.push(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ...summary(latencies), pushes_per_s: Math.round(pushes / seconds) };
  } finally {
    conn.disconnect();
    await server.stop();
  }
}

/** Scale up 5 times into a backlog; the backend's own measurements of each scale-up. */
async function coldStart(base: Config, warmPool: number) {
  const config = parseConfig(structuredClone(base), '(dispatch bench)', [
    { path: 'local.warm_pool', value: warmPool },
    { path: 'workload.base_rate', value: 600 },
    { path: 'workload.phases', value: [{ name: 'backlog', pattern: 'steady', multiplier: 1, duration: 30 }] },
    { path: 'scaling.initial_workers', value: 1 },
  ]);
  const backend = createLocalBackend(config);
  try {
    await backend.start({ seed: 1, config, initialWorkers: 1 });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      await backend.scale(2 + i);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const s = backend.stats();
    return {
      warm_pool: warmPool,
      to_ready_ms: summary(s.scaleUpToReadyMs),
      to_first_task_ms: summary(s.scaleUpToFirstTaskMs),
      process_start_ms: summary(s.processStartMs),
      warm_starts: s.warmStarts,
      cold_starts: s.coldStarts,
    };
  } finally {
    await backend.stop();
  }
}

export async function run(args: string[]) {
  const rate = Number(flag(args, '--rate') ?? 2);
  const seconds = Number(flag(args, '--seconds') ?? 100);
  const workers = Number(flag(args, '--workers') ?? 12);
  const seed = Number(flag(args, '--seed') ?? 3);
  const config = loadConfig(flag(args, '--config') ?? 'configuration.yml', [
    { path: 'backend', value: 'local' },
    { path: 'local.time_scale', value: 1 },
    { path: 'local.appendfsync', value: flag(args, '--appendfsync') },
    { path: 'workload.arrival_process', value: 'nhpp' },
    { path: 'workload.phase_shuffle', value: false },
    { path: 'workload.base_rate', value: rate * 60 },
    { path: 'workload.phases', value: [{ name: 'low load', pattern: 'steady', multiplier: 1, duration: seconds }] },
    { path: 'scaling.initial_workers', value: workers },
    { path: 'scaling.max_workers', value: Math.max(workers, 32) },
    { path: 'episode.max_steps', value: Math.ceil(seconds / 8) + 10 },
  ]);
  process.stderr.write(`dispatch: ${rate} tasks/s for ${seconds} s on ${workers} workers (local, time_scale 1)\n`);
  const env = await createEnv(config);
  const backend = env.backend as LocalBackend;
  await env.reset({ seed });
  for (;;) {
    const r = await env.step(0);
    if (r.terminated || r.truncated) break;
  }
  const records = [...backend.records()];
  await env.close();

  const ms = (program: number) => (program / config.local.time_scale) * 1000;
  const dispatch = records.map((r) => ms((r.task_start_timestamp ?? NaN) - r.task_emit_timestamp)).filter(Number.isFinite);
  const collect = records.map((r) => ms(r.task_collect_timestamp - r.task_work_timestamp));
  const fsync: Record<string, unknown> = {};
  for (const policy of ['always', 'everysec', 'no'] as const) fsync[policy] = await fsyncCost(policy, 2000, queueNames(config.queues));
  const scaleUp = [await coldStart(config, 0), await coldStart(config, 2)];
  const result = {
    bench: 'dispatch',
    scale_up: scaleUp,
    push_ms_by_appendfsync: fsync,
    dispatch_ms: summary(dispatch),
    collect_hop_ms: summary(collect),
    p99_under_10ms:
      quantile(
        [...dispatch].sort((a, b) => a - b),
        0.99,
      ) < 10,
    rate_per_s: rate,
    seconds,
    workers,
    appendfsync: config.local.appendfsync,
    load_average: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
  };
  process.stderr.write(`dispatch: p50 ${result.dispatch_ms.p50} ms, p99 ${result.dispatch_ms.p99} ms over ${result.dispatch_ms.n} tasks\n`);
  return result;
}
