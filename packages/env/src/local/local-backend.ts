/**
 * The `local` backend: the real farm on this machine. A real redis-server (configured, or a
 * private one on a free loopback port with append-only persistence: redis.ts), one child
 * process per role running packages/farm's loops (supervisor.ts), and an actuator that applies
 * worker counts to them (actuator.ts). Stepping and WindowMetrics are the openfaas backend's
 * too (../redis/).
 *
 * - start(): ends the previous episode's processes, clears the farm's keys, launches the
 *   processes and returns at program time 0.
 * - scale(): clamps, then the actuator adds (warm or cold) or gracefully removes workers.
 * - advance(): sleeps until the step's end on the program clock (time_scale divides it) and
 *   reads WindowMetrics from Redis.
 * - stop(): ends the processes and shuts the private redis-server down — also after errors,
 *   and when this process exits or gets SIGINT/SIGTERM.
 */
import { BackendUnavailableError, queueNames, type Config, type OutputRecord, type QueueNames, type WindowMetrics } from '@autofarm/core';
import type { ProgramClock, RedisServerHandle, RoleProcess } from '@autofarm/farm';
import { episodeWorkload } from '@autofarm/workload';
import { clampWorkers, type Backend, type EpisodeSpec } from '../backend.js';
import { RedisEpisode, clearFarmKeys } from '../redis/index.js';
import { LocalActuator } from './actuator.js';
import { connectLocalRedis, type LocalRedis } from './redis.js';
import { onFatalSignal } from './signals.js';
import { ProcessSupervisor, type ProcessStats } from './supervisor.js';

/** Measurements a bench may want beyond WindowMetrics (real milliseconds). */
export interface LocalStats extends ProcessStats {
  /** Result messages the collector saw again for an already judged id. */
  duplicateResults: number;
  redis: { host: string; port: number; private: boolean };
}

export class LocalBackend implements Backend {
  readonly deterministic = false;
  private config: Config;
  private names: QueueNames;
  private redis: LocalRedis | null = null;
  private episode: RedisEpisode | null = null;
  private episodes = 0;
  private episodeId = '';
  private stopped = false;
  private undoSignals: (() => void) | null = null;
  private readonly procs = new ProcessSupervisor();
  private readonly actuator = new LocalActuator(this.procs);

  constructor(config: Config) {
    this.config = config;
    this.names = queueNames(config.queues);
  }

  get timeScale(): number {
    return this.config.local.time_scale;
  }

  stats(): LocalStats {
    const t = this.redis?.target;
    return {
      ...structuredClone(this.procs.counts),
      duplicateResults: this.episode?.duplicates ?? 0,
      redis: { host: t?.host ?? '', port: t?.port ?? 0, private: (this.redis?.server ?? null) !== null },
    };
  }

  /** Every output record collected this episode, in collection order (benches). */
  records(): readonly OutputRecord[] {
    return this.episode?.history.records ?? [];
  }

  /** The private redis-server, if this backend started one (fault injection). */
  redisServer(): RedisServerHandle | null {
    return this.redis?.server ?? null;
  }

  /** Worker processes working now (fault injection). */
  liveWorkers(): RoleProcess[] {
    return this.procs.liveWorkers();
  }

  /** The episode's program clock (null before start): what a live controller windows results on. */
  programClock(): ProgramClock | null {
    return this.episode?.clock ?? null;
  }

  /** The count applied and the workers ready now (what `autofarm load` publishes for a live controller). */
  workerCounts(): { workers: number; ready: number } {
    return { workers: this.actuator.desired, ready: this.procs.readyCount() };
  }

  /** PIDs of every process this backend runs now: the episode's roles and the private redis-server. */
  pids(): number[] {
    const server = this.redis?.server?.pid;
    return [...this.procs.pids(), ...(server !== undefined ? [server] : [])];
  }

  async start(spec: EpisodeSpec): Promise<WindowMetrics> {
    if (this.stopped) throw new Error('LocalBackend.start after stop()');
    if (spec.config !== this.config) {
      this.config = spec.config;
      this.names = queueNames(spec.config.queues);
    }
    try {
      await this.procs.endEpisode(this.redis?.conn ?? null, this.names);
      this.episode = null;
      this.redis ??= await connectLocalRedis(this.config);
      this.undoSignals ??= onFatalSignal(() => this.killEverythingNow());
      const { conn, target } = this.redis;
      await clearFarmKeys(conn, this.names);
      this.episodeId = `e${++this.episodes}-${process.pid.toString(36)}-${Date.now().toString(36)}`;
      const clock = await this.procs.launch(
        { config: this.config, episodeId: this.episodeId, seed: spec.seed, redis: target },
        spec.initialWorkers,
      );
      this.actuator.desired = spec.initialWorkers;
      this.episode = new RedisEpisode({
        conn,
        names: this.names,
        clock,
        tasksPlanned: episodeWorkload(this.config, spec.seed).arrivals.length,
        where: `${target.host}:${target.port}`,
        workers: () => {
          const alive = this.procs.aliveSlots();
          return {
            ids: alive.map((w) => w.id),
            at: (now) => ({
              workers: this.actuator.desired,
              readyWorkers: this.procs.readyCount(),
              workerSeconds: this.procs.workerSeconds(now),
            }),
          };
        },
      });
      return await this.episode.metrics(this.config.episode.observation_window);
    } catch (error) {
      this.episode = null;
      await this.procs.endEpisode(this.redis?.conn ?? null, this.names).catch(() => {});
      if (error instanceof BackendUnavailableError) throw error;
      throw new BackendUnavailableError(`the local farm could not start: ${(error as Error).message}`, { cause: error });
    }
  }

  async scale(target: number): Promise<number> {
    const episode = this.requireEpisode();
    const conn = (this.redis as LocalRedis).conn;
    return this.actuator.apply(clampWorkers(this.config.scaling, target), {
      conn,
      names: this.names,
      episodeId: this.episodeId,
      clock: episode.clock,
      timeScale: this.timeScale,
    });
  }

  async advance(duration: number, window: number): Promise<WindowMetrics> {
    return this.requireEpisode().advance(duration, window);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.procs.endEpisode(this.redis?.conn ?? null, this.names);
    } finally {
      this.redis?.conn.disconnect();
      if (this.redis?.server) await this.redis.server.stop();
      this.redis = null;
      this.undoSignals?.();
      this.undoSignals = null;
    }
  }

  private requireEpisode(): RedisEpisode {
    if (!this.episode) throw new Error('LocalBackend: start() first');
    return this.episode;
  }

  /** Synchronous last resort (process exit or a fatal signal): nothing may outlive us. */
  private killEverythingNow(): void {
    this.procs.killNow();
    const pid = this.redis?.server?.pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function createLocalBackend(config: Config): LocalBackend {
  return new LocalBackend(config);
}
