/**
 * The local backend's process supervisor: one child process per role (emitter, collector with
 * the reaper, one per worker) running packages/farm's loops, and a pool of `local.warm_pool`
 * spare workers in standby (connected, not yet looping).
 *
 * - launch(): collector, emitter, the initial workers and the pool start in standby; once all
 *   are connected the episode origin is set a little ahead on the shared monotonic clock and
 *   the roles are told to go.
 * - addWorker(): a standby worker from the pool gets the clock (ready in ~ms) or, when the pool
 *   is empty, a fresh process is spawned (the real process start is then the cold start); the
 *   pool is refilled in the background.
 * - A worker that dies unasked is replaced, as a Deployment would, and so is a crashed emitter
 *   or collector (their loops resume from Redis).
 * - endEpisode(): TERMINATE to every role, then SIGTERM, then SIGKILL for what is still alive.
 */
import type { Redis } from 'ioredis';
import { encodeMessage, type Config, type QueueNames } from '@autofarm/core';
import {
  DEFAULT_HEARTBEAT,
  killAllRoles,
  spawnRole,
  startClock,
  synMessage,
  type FarmEvent,
  type ProgramClock,
  type RedisTarget,
  type RoleProcess,
  type RoleSettings,
} from '@autofarm/farm';
import { settlesWithin, withTimeout } from '../redis/wait.js';

export interface WorkerSlot {
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

/** Process measurements a bench may want (real milliseconds). */
export interface ProcessStats {
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
}

/** What the processes of one episode are started with. */
export interface EpisodeProcesses {
  config: Config;
  episodeId: string;
  seed: number;
  redis: RedisTarget;
}

const ROLE_STOP_GRACE_MS = 1500;
/** Real ms between `go` and program time 0: the roles open their connections in between. */
const ORIGIN_LEAD_MS = 250;
/** Generous deadlines for process start-up: a loaded machine may take seconds to fork Node. */
const STANDBY_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;

export class ProcessSupervisor {
  readonly counts: ProcessStats = {
    scaleUpToReadyMs: [],
    scaleUpToFirstTaskMs: [],
    processStartMs: [],
    scaleDownMs: [],
    warmStarts: 0,
    coldStarts: 0,
    replacedWorkers: 0,
    replacedRoles: 0,
    reaped: 0,
  };
  private episode: EpisodeProcesses | null = null;
  private clock: ProgramClock | null = null;
  private nextWorker = 0;
  private stopping = false;
  private workers: WorkerSlot[] = [];
  private pool: RoleProcess[] = [];
  private emitter: RoleProcess | null = null;
  private collector: RoleProcess | null = null;
  private readonly scaleDownSent = new Map<string, number>();
  private readonly readyProcs = new WeakSet<RoleProcess>();
  private readonly standbyProcs = new WeakSet<RoleProcess>();
  private readonly readyWaiters = new Map<RoleProcess, () => void>();

  /** Start the episode's roles and `initialWorkers` workers; resolves at program time 0 on the returned clock. */
  async launch(episode: EpisodeProcesses, initialWorkers: number): Promise<ProgramClock> {
    this.episode = episode;
    this.clock = null;
    // Everything in standby first; the origin is set once all are connected.
    this.collector = this.spawn('collector', 'collector-1', undefined);
    this.emitter = this.spawn('emitter', 'emitter-1', undefined);
    const initial = Array.from({ length: initialWorkers }, () => this.spawnWorker(undefined));
    this.refillPool();
    const roles = [this.collector, this.emitter, ...initial];
    const up = await withTimeout(
      Promise.all(roles.map((p) => p.standby)),
      STANDBY_TIMEOUT_MS,
      `farm processes did not start within ${STANDBY_TIMEOUT_MS / 1000} s`,
    );
    const failed = roles.find((_, i) => !up[i]);
    if (failed)
      throw new Error(`the ${failed.settings.role} process ${failed.settings.id} exited during start-up:\n${failed.stderrTail()}`);

    const clock = startClock(episode.config.local.time_scale, ORIGIN_LEAD_MS);
    this.clock = clock;
    for (const proc of initial) this.workers.push(this.slot(proc, 0, true));
    for (const p of roles) p.go(clock.spec);
    // Ready = registered (workers), phase configs queued (emitter): the first metrics see them.
    await withTimeout(
      Promise.all(roles.map((p) => this.readyOf(p))),
      READY_TIMEOUT_MS,
      `farm processes did not report ready within ${READY_TIMEOUT_MS / 1000} s`,
    );
    await clock.sleepUntil(0);
    return clock;
  }

  /** Workers not yet exited (including those leaving). */
  aliveSlots(): WorkerSlot[] {
    return this.workers.filter((w) => w.exitedAt === null);
  }

  /** Workers that count for scaling: alive and not asked to leave. */
  activeSlots(): WorkerSlot[] {
    return this.workers.filter((w) => w.exitedAt === null && !w.leaving);
  }

  /** Worker processes working now. */
  liveWorkers(): RoleProcess[] {
    return this.workers.filter((w) => w.exitedAt === null && w.proc.alive).map((w) => w.proc);
  }

  /** Workers registered, not leaving and still running. */
  readyCount(): number {
    return this.aliveSlots().filter((w) => w.ready && !w.leaving && w.proc.alive).length;
  }

  /** PIDs of every process of the episode (roles, workers, pool). */
  pids(): number[] {
    const procs = [...this.workers.map((w) => w.proc), ...this.pool, this.emitter, this.collector];
    return procs.map((p) => p?.pid).filter((p): p is number => p !== undefined);
  }

  /** Worker-seconds up to `now`: each worker from its request until it exited. */
  workerSeconds(now: number): number {
    let total = 0;
    for (const w of this.workers) total += Math.max(0, Math.min(w.exitedAt ?? now, now) - Math.max(0, w.requestedAt));
    return total;
  }

  /** One more worker: a standby one from the pool if any is up, else a fresh process. */
  addWorker(): void {
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

  /**
   * Mark `slot` as leaving (its exit is then not replaced). A worker still starting has taken
   * nothing yet (and if it just did, the reaper gives it back), so it is stopped at once and
   * false is returned; a ready one needs a SCALE_DOWN SYN (true).
   */
  retire(slot: WorkerSlot): boolean {
    slot.leaving = true;
    this.scaleDownSent.set(slot.id, performance.now());
    if (slot.ready) return true;
    slot.proc.child.kill('SIGTERM');
    return false;
  }

  /** TERMINATE every role of the current episode, then SIGTERM / SIGKILL what is left. */
  async endEpisode(conn: Redis | null, names: QueueNames): Promise<void> {
    const procs = [this.emitter, this.collector, ...this.workers.map((w) => w.proc), ...this.pool].filter(
      (p): p is RoleProcess => p !== null,
    );
    if (procs.length === 0) return;
    this.stopping = true;
    try {
      for (const p of this.pool) p.child.kill('SIGTERM');
      const episodeId = this.episode?.episodeId ?? '';
      if (conn && this.clock) {
        const now = this.clock.now();
        const syn = (target?: string) =>
          encodeMessage(
            synMessage({ type: 'TERMINATE', correlationId: `${episodeId}:end`, episodeId, now, ttl: 60, ...(target ? { target } : {}) }),
          );
        const m = conn.multi().lpush(names.emitterControl, syn()).lpush(names.collectorControl, syn());
        for (const w of this.workers) if (w.exitedAt === null) m.lpush(names.workerControl(w.id), syn(w.id));
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
      this.clock = null;
      this.scaleDownSent.clear();
      this.stopping = false;
    }
  }

  /** Synchronous last resort (process exit or a fatal signal): SIGKILL every role process. */
  killNow(): void {
    this.stopping = true;
    killAllRoles();
  }

  // --- processes ------------------------------------------------------------------------

  private requireClock(): ProgramClock {
    if (!this.clock) throw new Error('ProcessSupervisor: launch() first');
    return this.clock;
  }

  private spawn(role: RoleSettings['role'], id: string, clock: RoleSettings['clock']): RoleProcess {
    const e = this.episode as EpisodeProcesses;
    const settings: RoleSettings = {
      role,
      id,
      episodeId: e.episodeId,
      seed: e.seed,
      ...(clock ? { clock } : {}),
      config: e.config,
      redis: e.redis,
      heartbeat: DEFAULT_HEARTBEAT,
    };
    const proc = spawnRole(settings, {
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
    return {
      proc,
      id: proc.settings.id,
      requestedAt,
      requestedReal: performance.now(),
      exitedAt: null,
      ready: false,
      leaving: false,
      initial,
      sawTask: false,
    };
  }

  private refillPool(): void {
    this.pool = this.pool.filter((p) => p.alive);
    const size = this.episode?.config.local.warm_pool ?? 0;
    while (this.pool.length < size && !this.stopping) this.pool.push(this.spawnWorker(undefined));
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
      this.addWorker();
    }
  }
}
