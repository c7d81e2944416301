/**
 * The `local` backend: the real farm on this machine. A real redis-server (configured, or a
 * private one on a free loopback port with append-only persistence), and one child process per
 * role running packages/farm's loops: emitter, collector (with the reaper), one per worker.
 *
 * - start(): ends the previous episode's processes, clears the farm's keys, starts collector,
 *   emitter, the initial workers and `local.warm_pool` spare workers in standby (connected, not
 *   yet looping), then sets the episode origin on the shared monotonic clock a little ahead,
 *   tells the roles to go, and returns at program time 0.
 * - scale(): a scale-up hands the spare's clock to a standby worker (ready in ~ms) or, when the
 *   pool is empty, spawns one (the real process start is then the cold start); the pool is
 *   refilled in the background. A scale-down removes a worker still starting (it holds no task),
 *   else an idle one, else the newest busy one, by an addressed SCALE_DOWN SYN: it finishes its
 *   task, ACKs and exits. Returns the desired count. A worker that dies unasked is replaced, and
 *   so is a crashed emitter or collector (their loops resume from Redis).
 * - advance(): sleeps until the step's end on the program clock (time_scale divides it) and
 *   reads WindowMetrics from Redis.
 * - stop(): TERMINATE to every role, then SIGTERM, then SIGKILL for what is still alive, and the
 *   private redis-server is shut down — also after errors, and when this process exits or gets
 *   SIGINT/SIGTERM.
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, encodeMessage, episodeKeys, queueNames, type Config, type OutputRecord, type QueueNames, type WindowMetrics } from '@autofarm/core';
import {
  DEFAULT_HEARTBEAT,
  killAllRoles,
  probeRedis,
  redisFactory,
  redisTarget,
  sendScaleDown,
  spawnRole,
  startClock,
  synMessage,
  type FarmEvent,
  type ProgramClock,
  type RedisTarget,
  type RoleProcess,
  type RoleSettings,
} from '@autofarm/farm';
import { startRedisServer, type RedisServerHandle } from '@autofarm/farm/testing';
import { episodeWorkload } from '@autofarm/workload';
import type { Backend, EpisodeSpec } from '../backend.js';
import { OutputHistory, readCounters } from './metrics.js';
import { onFatalSignal } from './signals.js';

interface WorkerSlot {
  proc: RoleProcess;
  id: string;
  /** Program time the worker was asked for (0 for the initial ones). */
  requestedAt: number;
  /** Real time (performance.now()) of the request. */
  requestedReal: number;
  /** Program time it exited (null while alive). */
  exitedAt: number | null;
  ready: boolean;
  leaving: boolean;
  initial: boolean;
  sawTask: boolean;
}

/** Measurements a bench may want beyond WindowMetrics (real milliseconds). */
export interface LocalStats {
  /** Scale-up request -> the worker announced itself (the policy-visible cold start), per scale-up. */
  scaleUpToReadyMs: number[];
  /** Scale-up request -> the worker's first task started, for scale-ups that found work waiting. */
  scaleUpToFirstTaskMs: number[];
  /** Process spawn -> connected and in standby (what a cold start would cost without the pool). */
  processStartMs: number[];
  /** Scale-ups served from the warm pool / by a cold spawn. */
  warmStarts: number;
  coldStarts: number;
  /** SCALE_DOWN SYN sent -> the worker process exited. */
  scaleDownMs: number[];
  /** Workers replaced after dying unasked; emitter / collector restarts. */
  replacedWorkers: number;
  replacedRoles: number;
  /** Dead workers the reaper cleared (their tasks went back to the queue). */
  reaped: number;
  /** Result messages the collector saw again for an already judged id. */
  duplicateResults: number;
  redis: { host: string; port: number; private: boolean };
}

const ROLE_STOP_GRACE_MS = 1500;
/** Real ms without an answer from Redis after which a step fails instead of waiting on. */
const REDIS_GONE_MS = 30_000;
/** Real ms between `go` and program time 0: the roles open their connections in between. */
const ORIGIN_LEAD_MS = 250;

export class LocalBackend implements Backend {
  readonly deterministic = false;
  private config: Config;
  private names: QueueNames;
  private server: RedisServerHandle | null = null;
  private target: RedisTarget | null = null;
  private conn: Redis | null = null;
  private clock: ProgramClock | null = null;
  private episodeId = '';
  private episodes = 0;
  private nextWorker = 0;
  private seed = 0;
  private tasksPlanned = 0;
  private stepEnd = 0;
  private desired = 0;
  private stopping = false;
  private stopped = false;
  private workers: WorkerSlot[] = [];
  private pool: RoleProcess[] = [];
  private emitter: RoleProcess | null = null;
  private collector: RoleProcess | null = null;
  private history = new OutputHistory();
  private duplicates = 0;
  private undoSignals: (() => void) | null = null;
  private readonly scaleDownSent = new Map<string, number>();
  private readonly readyProcs = new WeakSet<RoleProcess>();
  private readonly standbyProcs = new WeakSet<RoleProcess>();
  private readonly readyWaiters = new Map<RoleProcess, () => void>();
  private readonly counts = {
    scaleUpToReadyMs: [] as number[],
    scaleUpToFirstTaskMs: [] as number[],
    processStartMs: [] as number[],
    scaleDownMs: [] as number[],
    warmStarts: 0,
    coldStarts: 0,
    replacedWorkers: 0,
    replacedRoles: 0,
    reaped: 0,
  };

  constructor(config: Config) {
    this.config = config;
    this.names = queueNames(config.queues);
  }

  get timeScale(): number {
    return this.config.local.time_scale;
  }

  stats(): LocalStats {
    const t = this.target;
    return { ...this.counts, duplicateResults: this.duplicates, redis: { host: t?.host ?? '', port: t?.port ?? 0, private: this.server !== null } };
  }

  /** Every output record collected this episode, in collection order (benches). */
  records(): readonly OutputRecord[] {
    return this.history.records;
  }

  /** The private redis-server, if this backend started one (fault injection). */
  redisServer(): RedisServerHandle | null {
    return this.server;
  }

  /** Worker processes working now (fault injection). */
  liveWorkers(): RoleProcess[] {
    return this.workers.filter((w) => w.exitedAt === null && w.proc.alive).map((w) => w.proc);
  }

  async start(spec: EpisodeSpec): Promise<WindowMetrics> {
    if (this.stopped) throw new Error('LocalBackend.start after stop()');
    if (spec.config !== this.config) {
      this.config = spec.config;
      this.names = queueNames(spec.config.queues);
    }
    try {
      await this.endEpisode();
      await this.ensureRedis();
      this.undoSignals ??= onFatalSignal(() => this.killEverythingNow());
      await this.clearKeys();
      this.episodes++;
      this.episodeId = `e${this.episodes}-${process.pid.toString(36)}-${Date.now().toString(36)}`;
      this.seed = spec.seed;
      this.tasksPlanned = episodeWorkload(this.config, spec.seed).arrivals.length;
      this.history = new OutputHistory();
      this.duplicates = 0;
      this.stepEnd = 0;
      this.clock = null;

      // Everything in standby first; the origin is set once all are connected.
      this.collector = this.spawn('collector', 'collector-1', undefined);
      this.emitter = this.spawn('emitter', 'emitter-1', undefined);
      const initial = Array.from({ length: spec.initialWorkers }, () => this.spawnWorker(undefined));
      this.refillPool();
      const roles = [this.collector, this.emitter, ...initial];
      const up = await withTimeout(Promise.all(roles.map((p) => p.standby)), 60_000, 'farm processes did not start within 60 s');
      const failed = roles.find((_, i) => !up[i]);
      if (failed) throw new Error(`the ${failed.settings.role} process ${failed.settings.id} exited during start-up:\n${failed.stderrTail()}`);

      const clock = startClock(this.timeScale, ORIGIN_LEAD_MS);
      this.clock = clock;
      for (const proc of initial) this.workers.push(this.slot(proc, 0, true));
      this.desired = spec.initialWorkers;
      for (const p of roles) p.go(clock.spec);
      // Ready = registered (workers), phase configs queued (emitter): the first metrics see them.
      await withTimeout(Promise.all(roles.map((p) => this.readyOf(p))), 10_000, 'farm processes did not report ready within 10 s');
      await clock.sleepUntil(0);
      return await this.metrics(this.config.episode.observation_window);
    } catch (error) {
      await this.endEpisode().catch(() => {});
      if (error instanceof BackendUnavailableError) throw error;
      throw new BackendUnavailableError(`the local farm could not start: ${(error as Error).message}`, { cause: error });
    }
  }

  async scale(target: number): Promise<number> {
    const { min_workers, max_workers } = this.config.scaling;
    const want = Math.min(max_workers, Math.max(min_workers, Math.round(target)));
    this.requireClock();
    while (this.desired < want) {
      this.scaleUpOne();
      this.desired++;
    }
    if (this.desired > want) {
      const victims = await this.pickVictims(this.desired - want);
      for (const v of victims) await this.retire(v);
      this.desired = want;
    }
    return this.desired;
  }

  async advance(duration: number, window: number): Promise<WindowMetrics> {
    const clock = this.requireClock();
    this.stepEnd = Math.max(this.stepEnd + duration, clock.now());
    await clock.sleepUntil(this.stepEnd);
    return this.metrics(window);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.endEpisode();
    } finally {
      this.conn?.disconnect();
      this.conn = null;
      if (this.server) await this.server.stop();
      this.undoSignals?.();
      this.undoSignals = null;
    }
  }

  // --- processes ------------------------------------------------------------------------

  private requireClock(): ProgramClock {
    if (!this.clock) throw new Error('LocalBackend: start() first');
    return this.clock;
  }

  private settings(role: RoleSettings['role'], id: string, clock: RoleSettings['clock']): RoleSettings {
    return { role, id, episodeId: this.episodeId, seed: this.seed, ...(clock ? { clock } : {}), config: this.config, redis: this.target as RedisTarget, heartbeat: DEFAULT_HEARTBEAT };
  }

  private spawn(role: RoleSettings['role'], id: string, clock: RoleSettings['clock']): RoleProcess {
    const proc = spawnRole(this.settings(role, id, clock), {
      onEvent: (event, p) => this.onEvent(event, p),
      onExit: (p, code, signal) => this.onExit(p, code, signal),
    });
    void proc.standby.then((ok) => {
      if (!ok) return;
      this.standbyProcs.add(proc);
      this.counts.processStartMs.push(performance.now() - proc.spawnedAt);
    });
    return proc;
  }

  private spawnWorker(clock: RoleSettings['clock']): RoleProcess {
    return this.spawn('worker', `w${++this.nextWorker}`, clock);
  }

  private slot(proc: RoleProcess, requestedAt: number, initial: boolean): WorkerSlot {
    return { proc, id: proc.settings.id, requestedAt, requestedReal: performance.now(), exitedAt: null, ready: false, leaving: false, initial, sawTask: false };
  }

  /** One more worker: a standby one from the pool if any is up, else a fresh process. */
  private scaleUpOne(): void {
    const clock = this.requireClock();
    const at = this.pool.findIndex((p) => this.standbyProcs.has(p) && p.alive);
    let proc: RoleProcess;
    if (at >= 0) {
      proc = this.pool.splice(at, 1)[0] as RoleProcess;
      proc.go(clock.spec);
      this.counts.warmStarts++;
    } else {
      proc = this.spawnWorker(clock.spec);
      this.counts.coldStarts++;
    }
    this.workers.push(this.slot(proc, clock.now(), false));
    this.refillPool();
  }

  private refillPool(): void {
    this.pool = this.pool.filter((p) => p.alive);
    while (this.pool.length < this.config.local.warm_pool && !this.stopping) this.pool.push(this.spawnWorker(undefined));
  }

  /** Resolves when `proc` has sent its `ready` event (or has exited). */
  private readyOf(proc: RoleProcess): Promise<void> {
    if (this.readyProcs.has(proc) || !proc.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.readyWaiters.set(proc, resolve);
      void proc.exited.then(() => resolve());
    });
  }

  private onEvent(event: FarmEvent, proc: RoleProcess): void {
    if (event.type === 'ready') {
      this.readyProcs.add(proc);
      this.readyWaiters.get(proc)?.();
      this.readyWaiters.delete(proc);
    }
    if (event.type === 'reaped') this.counts.reaped++;
    if (proc.settings.role !== 'worker') return;
    const slot = this.workers.find((w) => w.proc === proc);
    if (!slot) return;
    if (event.type === 'ready') {
      slot.ready = true;
      if (!slot.initial) this.counts.scaleUpToReadyMs.push(performance.now() - slot.requestedReal);
    } else if (event.type === 'task-start' && !slot.sawTask) {
      slot.sawTask = true;
      if (!slot.initial) this.counts.scaleUpToFirstTaskMs.push(performance.now() - slot.requestedReal);
    }
  }

  private onExit(proc: RoleProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.readyWaiters.get(proc)?.();
    this.readyWaiters.delete(proc);
    if (this.stopping || !this.clock) return;
    if (proc.settings.role !== 'worker') {
      // The emitter exits 0 when it is done; a crash of either singleton is repaired.
      if (signal === null && code === 0) return;
      this.counts.replacedRoles++;
      const again = this.spawn(proc.settings.role, proc.settings.id, this.clock.spec);
      if (proc === this.emitter) this.emitter = again;
      if (proc === this.collector) this.collector = again;
      return;
    }
    if (this.pool.includes(proc)) {
      this.refillPool();
      return;
    }
    const slot = this.workers.find((w) => w.proc === proc);
    if (!slot || slot.exitedAt !== null) return;
    slot.exitedAt = this.clock.now();
    const sent = this.scaleDownSent.get(slot.id);
    if (sent !== undefined) {
      this.counts.scaleDownMs.push(performance.now() - sent);
      this.scaleDownSent.delete(slot.id);
    }
    // Died unasked mid-episode: replace it, as a Deployment would.
    if (!slot.leaving) {
      this.counts.replacedWorkers++;
      this.scaleUpOne();
    }
  }

  /** Cheapest capacity first: starting, then idle, then the newest busy worker. */
  private async pickVictims(count: number): Promise<WorkerSlot[]> {
    const candidates = this.workers.filter((w) => w.exitedAt === null && !w.leaving);
    const counters = await readCounters(this.conn as Redis, this.names, candidates.map((w) => w.id));
    const rank = (w: WorkerSlot) => (!w.ready ? 0 : (counters.processing.get(w.id) ?? 0) === 0 ? 1 : 2);
    return candidates
      .map((w, i) => ({ w, i }))
      .sort((a, b) => rank(a.w) - rank(b.w) || b.i - a.i)
      .slice(0, count)
      .map(({ w }) => w);
  }

  private async retire(slot: WorkerSlot): Promise<void> {
    slot.leaving = true;
    this.scaleDownSent.set(slot.id, performance.now());
    if (!slot.ready) {
      // Still starting: it has taken nothing yet (and if it just did, the reaper gives it back).
      slot.proc.child.kill('SIGTERM');
      return;
    }
    const clock = this.requireClock();
    // Valid for 120 program seconds: far longer than any task (≤ 2.9 s), so it is only ever void for a dead worker.
    await sendScaleDown(this.conn as Redis, this.names, { target: slot.id, correlationId: `${this.episodeId}:${slot.id}`, episodeId: this.episodeId, now: clock.now(), ttl: 120 }, (120 / this.timeScale) * 1000);
  }

  // --- Redis ----------------------------------------------------------------------------

  private async ensureRedis(): Promise<void> {
    if (this.conn && this.target) return;
    if (this.config.redis.host === null) {
      try {
        this.server = await startRedisServer({ bin: this.config.local.redis_server, appendfsync: this.config.local.appendfsync, password: this.config.redis.password });
      } catch (error) {
        throw new BackendUnavailableError(`cannot start a private redis-server (${this.config.local.redis_server}): ${(error as Error).message.split('\n')[0]}; install redis-server or set redis.host`, { cause: error });
      }
      this.target = redisTarget(this.config.redis, { host: this.server.host, port: this.server.port });
    } else {
      this.target = redisTarget(this.config.redis);
      await probeRedis(this.target);
    }
    this.conn = redisFactory(this.target)('local-backend');
  }

  private async clearKeys(): Promise<void> {
    const conn = this.conn as Redis;
    const keys = [...episodeKeys(this.names)];
    for (const pattern of this.names.perWorkerPatterns) {
      let cursor = '0';
      do {
        const [next, found] = await conn.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
    }
    await conn.del(...keys);
  }

  private async metrics(window: number): Promise<WindowMetrics> {
    const clock = this.requireClock();
    const alive = this.workers.filter((w) => w.exitedAt === null);
    // Commands wait through a Redis restart; one that is gone for good must not hang the episode.
    const counters = await withTimeout(readCounters(this.conn as Redis, this.names, alive.map((w) => w.id)), REDIS_GONE_MS, 'redis').catch((error: unknown) => {
      const t = this.target as RedisTarget;
      throw new BackendUnavailableError(`lost Redis at ${t.host}:${t.port}: no answer for ${REDIS_GONE_MS / 1000} s`, { cause: error });
    });
    const now = clock.now();
    await this.history.update(this.conn as Redis, this.names, counters.outputLength);
    this.duplicates = counters.duplicates;
    let busy = 0;
    for (const n of counters.processing.values()) if (n > 0) busy++;
    let workerSeconds = 0;
    for (const w of this.workers) workerSeconds += Math.max(0, Math.min(w.exitedAt ?? now, now) - Math.max(0, w.requestedAt));
    return {
      time: now,
      phasesPending: counters.phasesPending,
      workerQueue: counters.workerQueue,
      resultQueue: counters.resultQueue,
      collectedTotal: counters.collectedTotal,
      metTotal: counters.metTotal,
      workers: this.desired,
      readyWorkers: alive.filter((w) => w.ready && !w.leaving && w.proc.alive).length,
      busyWorkers: busy,
      enqueuedTotal: counters.enqueuedTotal,
      tasksPlanned: this.tasksPlanned,
      generationDone: counters.generationDone,
      window: this.history.window(now, window),
      workerSeconds,
      deadLetters: counters.deadLetters,
    };
  }

  // --- shutdown -------------------------------------------------------------------------

  /** TERMINATE every role of the current episode, then SIGTERM / SIGKILL what is left. */
  private async endEpisode(): Promise<void> {
    const procs = [this.emitter, this.collector, ...this.workers.map((w) => w.proc), ...this.pool].filter((p): p is RoleProcess => p !== null);
    if (procs.length === 0) return;
    this.stopping = true;
    try {
      for (const p of this.pool) p.child.kill('SIGTERM');
      if (this.conn && this.clock) {
        const now = this.clock.now();
        const syn = (target?: string) => encodeMessage(synMessage({ type: 'TERMINATE', correlationId: `${this.episodeId}:end`, episodeId: this.episodeId, now, ttl: 60, ...(target ? { target } : {}) }));
        const m = this.conn.multi().lpush(this.names.emitterControl, syn()).lpush(this.names.collectorControl, syn());
        for (const w of this.workers) if (w.exitedAt === null) m.lpush(this.names.workerControl(w.id), syn(w.id));
        await withTimeout(m.exec(), 1000, 'TERMINATE').catch(() => {});
      } else {
        for (const p of procs) p.child.kill('SIGTERM');
      }
      const allExited = () => Promise.all(procs.map((p) => p.exited));
      if (!(await settlesWithin(allExited(), ROLE_STOP_GRACE_MS))) {
        for (const p of procs) if (p.alive) p.child.kill('SIGTERM');
        if (!(await settlesWithin(allExited(), ROLE_STOP_GRACE_MS))) for (const p of procs) if (p.alive) p.child.kill('SIGKILL');
      }
      await allExited();
    } finally {
      this.emitter = null;
      this.collector = null;
      this.workers = [];
      this.pool = [];
      this.scaleDownSent.clear();
      this.stopping = false;
    }
  }

  /** Synchronous last resort (process exit or a fatal signal): nothing may outlive us. */
  private killEverythingNow(): void {
    this.stopping = true;
    killAllRoles();
    const pid = this.server?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([p.then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createLocalBackend(config: Config): LocalBackend {
  return new LocalBackend(config);
}
