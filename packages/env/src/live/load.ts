/**
 * `autofarm load`: a farm under a scenario's workload, run for a person (or a test) to watch a
 * controller scale it — no episode bookkeeping, no policy. The scenario's phase plan is
 * repeated `repeat` times back to back (a recurring workload: one plan = one "day").
 *
 * - local: a redis-server on autoscale.local_redis_port (when redis.host is null), the local
 *   backend's processes, and a follower that applies `<prefix>:desired` (the controller's ask)
 *   within ~100 ms and publishes `<prefix>:status` (count, ready workers, program clock).
 * - openfaas: an episode of the openfaas backend (functions announced, replicas set to the
 *   initial count); the controller then scales the Deployment itself.
 *
 * Ends when every task is collected, or on abort (Ctrl-C). A status line per step is logged.
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, type Config, type WindowMetrics } from '@autofarm/core';
import { redisFactory, redisTarget, startRedisServer, type RedisServerHandle } from '@autofarm/farm';
import { LocalBackend } from '../local/local-backend.js';
import { liveKeys, type LocalFarmStatus } from './scale-target.js';

export interface LoadOptions {
  /** The resolved configuration (scenario overlaid); config.backend picks the farm. */
  config: Config;
  /** Times the phase plan runs back to back (>= 1). */
  repeat: number;
  seed: number;
  log: (line: Record<string, unknown>) => void;
  signal?: AbortSignal;
  /** Real ms between two looks at `<prefix>:desired` (local). */
  followMs?: number;
  /** Called once the farm runs, with where its Redis is (tests, the CLI's hint line). */
  onStarted?: (farm: { redis: { host: string; port: number }; local: LocalBackend | null }) => void;
}

export interface LoadSummary {
  enqueued: number;
  collected: number;
  met: number;
  deadLetters: number;
  /** Met / collected (1 when nothing was collected). */
  qos: number;
  /** Worker-seconds (program) the backend counted: every worker from its request to its exit. */
  workerSeconds: number;
  /** Program seconds from the farm's start to the last reading. */
  duration: number;
  aborted: boolean;
}

/** The configuration with its phases repeated `n` times (the workload.repeat of the recurring suite, done here). */
export function repeatPhases(config: Config, n: number): Config {
  if (n <= 1) return config;
  const phases = Array.from({ length: n }, (_, k) => config.workload.phases.map((p) => ({ ...p, name: `${p.name}#${k + 1}` }))).flat();
  return { ...config, workload: { ...config.workload, phases } };
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const config = repeatPhases(o.config, o.repeat);
  return config.backend === 'openfaas' ? runOpenFaasLoad({ ...o, config }) : runLocalLoad({ ...o, config });
}

async function runLocalLoad(o: LoadOptions): Promise<LoadSummary> {
  let config = o.config;
  let server: RedisServerHandle | null = null;
  if (config.redis.host === null) {
    const port = config.autoscale.local_redis_port;
    server = await startRedisServer({
      bin: config.local.redis_server,
      port,
      appendfsync: config.local.appendfsync,
      password: config.redis.password,
    }).catch((error: unknown) => {
      throw new BackendUnavailableError(
        `cannot start redis-server on 127.0.0.1:${port} (autoscale.local_redis_port; in use?): ${(error as Error).message.split('\n')[0]}`,
        { cause: error },
      );
    });
    config = { ...config, redis: { ...config.redis, host: server.host, port: server.port } };
  }
  const backend = new LocalBackend(config);
  const keys = liveKeys(config.autoscale.key_prefix);
  let conn: Redis | null = null;
  let following = true;
  let follower: Promise<void> = Promise.resolve();
  try {
    await backend.start({ seed: o.seed, config, initialWorkers: config.scaling.initial_workers });
    conn = redisFactory(redisTarget(config.redis))('live-load');
    const c = conn;
    await c.set(keys.desired, String(config.scaling.initial_workers));
    const publish = async () => {
      const clock = backend.programClock();
      if (!clock) return;
      const status: LocalFarmStatus = { ...backend.workerCounts(), clock: clock.spec, updatedMs: Date.now() };
      await c.set(keys.status, JSON.stringify(status));
    };
    await publish();
    follower = (async () => {
      while (following) {
        try {
          const want = Number(await c.get(keys.desired));
          if (Number.isInteger(want) && want !== backend.workerCounts().workers) await backend.scale(want);
          await publish();
        } catch (error) {
          // Redis restarting, or a scale that failed: say so and keep following.
          o.log({ error: `following ${keys.desired}: ${(error as Error).message}` });
        }
        await new Promise((r) => setTimeout(r, o.followMs ?? 100));
      }
    })();
    o.onStarted?.({ redis: { host: config.redis.host as string, port: config.redis.port }, local: backend });
    const last = await report(o, config, (step, window) => backend.advance(step, window));
    return summarize(last, o.signal?.aborted ?? false);
  } finally {
    following = false;
    await follower.catch(() => {});
    await conn?.del(keys.status).catch(() => {});
    conn?.disconnect();
    await backend.stop();
    await server?.stop();
  }
}

async function runOpenFaasLoad(o: LoadOptions): Promise<LoadSummary> {
  const { createOpenFaasBackend } = await import('../openfaas/openfaas-backend.js');
  const backend = await createOpenFaasBackend(o.config);
  try {
    const targets = await backend.connect();
    await backend.start({ seed: o.seed, config: o.config, initialWorkers: o.config.scaling.initial_workers });
    o.onStarted?.({ redis: { host: targets.redis.host, port: targets.redis.port }, local: null });
    return summarize(await report(o, o.config, (step, window) => backend.advance(step, window)), o.signal?.aborted ?? false);
  } finally {
    await backend.stop();
  }
}

/** Log one line per step until every task is collected or the signal aborts; returns the last reading. */
async function report(
  o: LoadOptions,
  config: Config,
  advance: (step: number, window: number) => Promise<WindowMetrics>,
): Promise<WindowMetrics | null> {
  const { step_duration, observation_window } = config.episode;
  let last: WindowMetrics | null = null;
  while (!o.signal?.aborted) {
    const m = await advance(step_duration, observation_window);
    last = m;
    const met = m.window.filter((t) => t.met).length;
    o.log({
      t: Math.round(m.time * 10) / 10,
      queue: m.workerQueue,
      ready: m.readyWorkers,
      busy: m.busyWorkers,
      enqueued: m.enqueuedTotal,
      planned: m.tasksPlanned,
      collected: m.collectedTotal,
      window_qos: m.window.length > 0 ? Math.round((met / m.window.length) * 1000) / 1000 : null,
    });
    if (m.generationDone && m.collectedTotal >= m.tasksPlanned) break;
  }
  return last;
}

function summarize(m: WindowMetrics | null, aborted: boolean): LoadSummary {
  const collected = m?.collectedTotal ?? 0;
  const met = m?.metTotal ?? 0;
  return {
    enqueued: m?.enqueuedTotal ?? 0,
    collected,
    met,
    deadLetters: m?.deadLetters ?? 0,
    qos: collected > 0 ? met / collected : 1,
    workerSeconds: m?.workerSeconds ?? 0,
    duration: m?.time ?? 0,
    aborted,
  };
}
