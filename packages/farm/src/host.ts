/**
 * Hosting the farm's roles in processes that outlive episodes: the OpenFaaS functions, whose
 * pods start with the Deployment and stay across episodes (no per-episode deploy or async
 * invocation, unlike the original, reference §5.2-§5.3).
 *
 * The openfaas backend announces the current episode in ONE Redis key (JSON: episode id, seed,
 * clock, resolved configuration, heartbeat settings) and withdraws it (DEL) between episodes.
 * A host polls the key and runs its role's loop (runEmitter / runWorker / runCollector) for each
 * announced episode; when the announcement changes or disappears, the loop is aborted. So a pod
 * that starts mid-episode (a scale-up) joins the current episode, and a stale loop can never
 * outlive its episode by more than one poll.
 *
 * Worker ids are the pod name (the ACK's pod_name is then the pod to remove); a worker that
 * rejoins the same episode after a scale-down it was not removed for takes `<pod>~<n>`, so
 * ids are never reused within an episode (the farm's invariant) and `podOfWorker` recovers
 * the pod.
 */
import type { Redis } from 'ioredis';
import { parseConfig, z } from '@autofarm/core';
import { createClock, type ClockSpec } from './clock.js';
import { runCollector } from './collector.js';
import { runEmitter } from './emitter.js';
import { emit, type FarmHooks, type Role } from './events.js';
import { redisFactory, type RedisFactory, type RedisTarget } from './redis.js';
import { clockSpecSchema } from './settings.js';
import { runWorker, type HeartbeatSettings } from './worker.js';

/** Default key of the announcement (functions read AUTOFARM_EPISODE_KEY to change it). */
export const DEFAULT_EPISODE_KEY = 'autofarm:episode';

export interface EpisodeAnnouncement {
  episodeId: string;
  seed: number;
  /** The episode's program clock; `wall` when hosts run on other machines. */
  clock: ClockSpec;
  /** The resolved configuration (hosts re-validate it). */
  config: unknown;
  heartbeat?: HeartbeatSettings;
}

const announcementSchema = z.object({
  episodeId: z.string().min(1),
  seed: z.number().int(),
  clock: clockSpecSchema,
  config: z.unknown(),
  heartbeat: z.object({ intervalMs: z.number().positive(), ttlMs: z.number().positive() }).optional(),
});

export async function announceEpisode(conn: Redis, announcement: EpisodeAnnouncement, key = DEFAULT_EPISODE_KEY): Promise<void> {
  await conn.set(key, JSON.stringify(announcement));
}

export async function withdrawEpisode(conn: Redis, key = DEFAULT_EPISODE_KEY): Promise<void> {
  await conn.del(key);
}

export type AnnouncementRead = { ok: true; value: EpisodeAnnouncement | null } | { ok: false; reason: string };

/** The current announcement: null when none; never throws on a malformed value. */
export async function readAnnouncement(conn: Redis, key = DEFAULT_EPISODE_KEY): Promise<AnnouncementRead> {
  const text = await conn.get(key);
  if (text === null) return { ok: true, value: null };
  try {
    const parsed = announcementSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, value: parsed.data as EpisodeAnnouncement };
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

/** The pod a worker id belongs to (`pod` or `pod~n`). */
export function podOfWorker(workerId: string): string {
  const at = workerId.indexOf('~');
  return at < 0 ? workerId : workerId.slice(0, at);
}

/**
 * Where Redis is, for a function: REDIS_HOSTNAME / REDIS_PORT (the original's names, read in
 * upper case as deployed, reference §16 item 35), the password from env REDIS_PASSWORD or the OpenFaaS
 * secret `redis-password`, REDIS_TLS=true, REDIS_DB.
 */
export function redisTargetFromEnv(env: NodeJS.ProcessEnv, secret: (name: string) => string | undefined = () => undefined): RedisTarget {
  return {
    host: env.REDIS_HOSTNAME ?? 'redis-master.redis.svc.cluster.local',
    port: Number(env.REDIS_PORT ?? 6379),
    password: env.REDIS_PASSWORD ?? secret('redis-password') ?? null,
    tls: env.REDIS_TLS === 'true',
    db: Number(env.REDIS_DB ?? 0),
  };
}

export interface HostOptions {
  role: Role;
  /** The pod name (HOSTNAME). */
  hostId: string;
  redis: RedisFactory;
  signal: AbortSignal;
  key?: string;
  /** Real ms between two reads of the announcement (default 250). */
  pollMs?: number;
  hooks?: FarmHooks;
  /** What the host is doing, for a status endpoint. */
  onState?: (state: HostState) => void;
}

export interface HostState {
  episodeId: string | null;
  /** The id the role runs under in that episode. */
  id: string | null;
  running: boolean;
  episodes: number;
}

export interface HostExit {
  /** scale-down: a worker acknowledged one and left its episode; aborted: the host is stopping. */
  reason: 'scale-down' | 'aborted';
  episodes: number;
}

/** Sleep `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * `p`, or undefined as soon as `signal` aborts. A command waiting for a Redis that is down
 * waits for ever (ioredis keeps it queued, even across disconnect()), and must not hold a
 * stopping pod; the abandoned command settles, unobserved, if Redis comes back.
 */
function abortable<T>(p: Promise<T>, signal: AbortSignal, graceMs = 0): Promise<T | undefined> {
  if (signal.aborted && graceMs === 0) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => resolve(undefined), graceMs);
    };
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (settle(), resolve(v)),
      (e: unknown) => (settle(), reject(e)),
    );
  });
}

/** Joins per (host, episode), so a rejoining worker gets a fresh id. Survives hostRole calls. */
const joins = new Map<string, number>();

/**
 * Run `role` for every announced episode until `signal` aborts; a worker also returns after a
 * scale-down (the caller decides whether and when it rejoins). An emitter that finished, or a
 * role told to TERMINATE, waits for the next episode.
 */
export async function hostRole(o: HostOptions): Promise<HostExit> {
  const key = o.key ?? DEFAULT_EPISODE_KEY;
  const pollMs = o.pollMs ?? 250;
  const conn = o.redis(`host:${o.role}:${o.hostId}`);
  const state: HostState = { episodeId: null, id: null, running: false, episodes: 0 };
  const report = () => o.onState?.({ ...state });
  let finished: string | null = null;
  let lastBad = '';
  try {
    while (!o.signal.aborted) {
      let current: EpisodeAnnouncement | null = null;
      try {
        const read = await abortable(readAnnouncement(conn, key), o.signal);
        if (read === undefined) break;
        if (read.ok) current = read.value;
        else if (read.reason !== lastBad) {
          lastBad = read.reason;
          emit(o.hooks, {
            type: 'error',
            by: `${o.role} ${o.hostId}`,
            message: `ignoring a malformed episode announcement: ${read.reason}`,
          });
        }
      } catch (error) {
        if (o.signal.aborted) break;
        emit(o.hooks, {
          type: 'error',
          by: `${o.role} ${o.hostId}`,
          message: `reading the episode announcement: ${(error as Error).message}`,
        });
      }
      if (!current || current.episodeId === finished) {
        await sleep(pollMs, o.signal);
        continue;
      }
      const n = (joins.get(`${o.hostId}|${current.episodeId}`) ?? 0) + 1;
      joins.set(`${o.hostId}|${current.episodeId}`, n);
      Object.assign(state, {
        episodeId: current.episodeId,
        id: n === 1 ? o.hostId : `${o.hostId}~${n}`,
        running: true,
        episodes: state.episodes + 1,
      });
      report();
      const reason = await runEpisode(o, conn, key, pollMs, current, state.id as string);
      state.running = false;
      report();
      if (reason === 'scale-down') return { reason, episodes: state.episodes };
      // Done with this one (finished, terminated, or the announcement moved on): wait for a new one.
      if (reason !== 'superseded') finished = current.episodeId;
    }
    return { reason: 'aborted', episodes: state.episodes };
  } finally {
    conn.disconnect();
  }
}

type EpisodeEnd = 'scale-down' | 'done' | 'superseded';

/** One episode of the role, aborted when the host stops or the announcement changes. */
async function runEpisode(
  o: HostOptions,
  conn: Redis,
  key: string,
  pollMs: number,
  a: EpisodeAnnouncement,
  id: string,
): Promise<EpisodeEnd> {
  const moved = new AbortController();
  const signal = AbortSignal.any([o.signal, moved.signal]);
  const config = parseConfig(a.config, `episode announcement ${a.episodeId}`);
  const clock = createClock(a.clock);
  const common = { redis: o.redis, clock, signal, episodeId: a.episodeId, ...(o.hooks ? { hooks: o.hooks } : {}) };
  const roleDone = new AbortController();
  const watch = (async () => {
    while (!signal.aborted && !roleDone.signal.aborted) {
      await sleep(pollMs, AbortSignal.any([signal, roleDone.signal]));
      if (signal.aborted || roleDone.signal.aborted) return;
      const read = await abortable(readAnnouncement(conn, key), AbortSignal.any([signal, roleDone.signal])).catch(() => null);
      // A read error (Redis restarting) is not a change: keep the loop, it rides it out.
      if (read?.ok && read.value?.episodeId !== a.episodeId) moved.abort();
    }
  })();
  try {
    // After an abort a loop gets 2 s to wind down (it normally takes milliseconds; only a
    // command stuck on a Redis that is down takes longer).
    switch (o.role) {
      case 'worker': {
        const exit = await abortable(
          runWorker({ ...common, config, workerId: id, ...(a.heartbeat ? { heartbeat: a.heartbeat } : {}) }),
          signal,
          2000,
        );
        if (exit?.reason === 'scale-down') return 'scale-down';
        break;
      }
      case 'emitter':
        await abortable(runEmitter({ ...common, config, seed: a.seed, emitterId: id }), signal, 2000);
        break;
      case 'collector':
        await abortable(
          runCollector({ ...common, config, collectorId: id, ...(a.heartbeat ? { reaper: a.heartbeat } : {}) }),
          signal,
          2000,
        );
        break;
    }
    return moved.signal.aborted ? 'superseded' : 'done';
  } catch (error) {
    // Aborting disconnects the loop's connections; a command in flight then fails with
    // "Connection is closed". That is the abort, not a fault.
    if (signal.aborted) return moved.signal.aborted ? 'superseded' : 'done';
    throw error;
  } finally {
    roleDone.abort();
    await watch;
  }
}

/** What the node24-longrun template hands a handler (functions/template/node24-longrun/server.js). */
export interface FunctionContext {
  podName: string;
  /** Aborted when the pod is shutting down. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  log(level: string, message: string): void;
  /** An OpenFaaS secret's value, if mounted. */
  secret(name: string): string | undefined;
}

export interface FarmFunction {
  run(ctx: FunctionContext): Promise<void>;
  status(): Record<string, unknown>;
}

/**
 * A farm role as an OpenFaaS function: `run` hosts the role for every announced episode
 * (returning after a worker's scale-down), `status` reports what it is doing. Repeated error
 * messages (a Redis that is down reconnects every 0.5 s) are logged once a minute.
 */
export function farmFunction(role: Role, throttleMs = 60_000): FarmFunction {
  let state: HostState = { episodeId: null, id: null, running: false, episodes: 0 };
  const counts = { tasks: 0, pushed: 0, collected: 0, deadLetters: 0, errors: 0 };
  return {
    async run(ctx) {
      const lastLogged = new Map<string, number>();
      const warn = (message: string) => {
        counts.errors++;
        const at = lastLogged.get(message);
        if (at !== undefined && Date.now() - at < throttleMs) return;
        lastLogged.set(message, Date.now());
        ctx.log('WARNING', message);
      };
      const redis = redisFactory(
        redisTargetFromEnv(ctx.env, (n) => ctx.secret(n)),
        (name, error) => warn(`redis (${name}): ${error.message}`),
      );
      const exit = await hostRole({
        role,
        hostId: ctx.podName,
        redis,
        signal: ctx.signal,
        ...(ctx.env.AUTOFARM_EPISODE_KEY ? { key: ctx.env.AUTOFARM_EPISODE_KEY } : {}),
        hooks: {
          onEvent: (e) => {
            if (e.type === 'task-done') counts.tasks++;
            else if (e.type === 'pushed') counts.pushed++;
            else if (e.type === 'collected') counts.collected++;
            else if (e.type === 'dead-letter') counts.deadLetters++;
            else if (e.type === 'error') warn(`${e.by}: ${e.message}`);
          },
        },
        onState: (s) => {
          state = s;
          ctx.log('INFO', s.running ? `${role} ${s.id}: joined episode ${s.episodeId}` : `${role} ${s.id}: left episode ${s.episodeId}`);
        },
      });
      ctx.log('INFO', `${role} ${ctx.podName}: ${exit.reason} after ${exit.episodes} episode(s)`);
    },
    status: () => ({ role, ...state, ...counts }),
  };
}
