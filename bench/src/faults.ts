/**
 * `pnpm bench faults [--config FILE] [--seed N] [--time-scale X] [--kill-every S] [--redis-at S]
 *  [--redis-down S] [--appendfsync always|everysec|no]`
 *
 * Fault injection on the local backend: one episode of the configured workload with the static
 * policy while a random worker is kill -9'd every `--kill-every` real seconds (default 3) and the
 * private redis-server is kill -9'd once (`--redis-at` real seconds after the start, default 10)
 * and started again `--redis-down` seconds later (default 1) on the same append-only file.
 *
 * At the end every task of the episode must be either collected exactly once or reported here:
 * `lost` counts planned tasks that never reached the output (their ids are listed),
 * `duplicates` counts results that arrived again for an already judged task (re-done work,
 * counted once), `output_duplicates` output records with a repeated id (must be 0).
 */
import { createRng, loadConfig, queueNames, type ConfigOverride } from '@autofarm/core';
import { createEnv } from '@autofarm/env';
import type { LocalBackend } from '@autofarm/env/local';
import { redisFactory } from '@autofarm/farm';
import { episodeWorkload } from '@autofarm/workload';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(args: string[]) {
  const seed = Number(flag(args, '--seed') ?? 7);
  const timeScale = Number(flag(args, '--time-scale') ?? 10);
  const killEvery = Number(flag(args, '--kill-every') ?? 3);
  const redisAt = Number(flag(args, '--redis-at') ?? 10);
  const redisDown = Number(flag(args, '--redis-down') ?? 1);
  const overrides: ConfigOverride[] = [
    { path: 'backend', value: 'local' },
    { path: 'local.time_scale', value: timeScale },
    // Redis must be our own to kill it.
    { path: 'redis.host', value: null },
    { path: 'local.appendfsync', value: flag(args, '--appendfsync') },
  ];
  const config = loadConfig(flag(args, '--config') ?? 'configuration.yml', overrides);
  const planned = episodeWorkload(config, seed).arrivals;
  const log = (line: string) => process.stderr.write(`faults: ${line}\n`);

  const env = await createEnv(config);
  const backend = env.backend as LocalBackend;
  const started = performance.now();
  await env.reset({ seed });
  const server = backend.redisServer();
  if (!server) throw new Error('faults: the local backend did not start its own redis-server');
  log(`${planned.length} tasks planned, time_scale ${timeScale}, appendfsync ${config.local.appendfsync}, redis on port ${server.port}`);

  // The injector: kill -9 a random worker every `killEvery` s; Redis once.
  const rng = createRng(seed).stream('faults');
  const kills: Array<{ at: number; pid: number | undefined; worker: string }> = [];
  let redisKilledAt: number | null = null;
  let redisBackAt: number | null = null;
  let injecting = true;
  const injector = (async () => {
    let nextKill = killEvery;
    while (injecting) {
      await sleep(100);
      const t = (performance.now() - started) / 1000;
      if (redisKilledAt === null && t >= redisAt) {
        redisKilledAt = t;
        log(`kill -9 redis-server (pid ${String(server.pid)}) at ${t.toFixed(1)} s`);
        await server.kill();
        await sleep(redisDown * 1000);
        await server.restart();
        redisBackAt = (performance.now() - started) / 1000;
        log(`redis-server restarted on the same AOF at ${redisBackAt.toFixed(1)} s (pid ${String(server.pid)})`);
      }
      if (t >= nextKill) {
        nextKill += killEvery;
        const live = backend.liveWorkers();
        if (live.length === 0) continue;
        const victim = live[rng.int(0, live.length - 1)];
        if (!victim) continue;
        kills.push({ at: t, pid: victim.pid, worker: victim.settings.id });
        victim.child.kill('SIGKILL');
      }
    }
  })();

  let last;
  let steps = 0;
  for (;;) {
    last = await env.step(0);
    steps++;
    if (last.terminated || last.truncated) break;
  }
  injecting = false;
  await injector;
  const wallSeconds = (performance.now() - started) / 1000;

  // Read the outcome from Redis before close() stops the server.
  const stats = backend.stats();
  const names = queueNames(config.queues);
  const conn = redisFactory({
    host: stats.redis.host,
    port: stats.redis.port,
    password: config.redis.password,
    tls: false,
    db: config.redis.db,
  })('faults-bench');
  const [outputs, generatedIds, enqueued, duplicateResults, deadLetters] = await Promise.all([
    conn.lrange(names.output, 0, -1),
    conn.smembers(names.generatedIds),
    conn.get(names.enqueuedTotal),
    conn.get(names.duplicateResults),
    conn.llen(names.deadLetter),
  ]);
  conn.disconnect();
  await env.close();

  const outputIds = outputs.map((raw) => (JSON.parse(raw) as { task_id: string }).task_id);
  const unique = new Set(outputIds);
  // Lost: planned but never completed (whether or not the emitter's push survived).
  const lostIds = generatedIds.filter((id) => !unique.has(id)).sort();
  const result = {
    bench: 'faults',
    generated: generatedIds.length,
    completed: unique.size,
    duplicates: Number(duplicateResults ?? 0),
    lost: planned.length - unique.size,
    planned: planned.length,
    enqueued_counter: Number(enqueued ?? 0),
    output_duplicates: outputIds.length - unique.size,
    lost_ids: lostIds.slice(0, 20),
    worker_kills: kills.length,
    replaced_workers: stats.replacedWorkers,
    reaped_workers: stats.reaped,
    redis_kills: redisKilledAt === null ? 0 : 1,
    redis_down_s: redisKilledAt !== null && redisBackAt !== null ? Number((redisBackAt - redisKilledAt).toFixed(2)) : null,
    dead_letters: deadLetters,
    terminated: last.terminated,
    steps,
    episode_qos: last.info.episodeFinalQos,
    appendfsync: config.local.appendfsync,
    time_scale: timeScale,
    seed,
    wall_s: Number(wallSeconds.toFixed(1)),
  };
  log(
    `${result.completed}/${result.planned} completed once, ${result.lost} lost, ${result.duplicates} ` +
      `duplicate results dropped, ${kills.length} workers killed`,
  );
  return result;
}
