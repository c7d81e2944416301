/**
 * The `openfaas` backend: the farm's functions on OpenFaaS in Kubernetes (functions/stack.yml),
 * Redis in the cluster (reached through scripts/cluster-up.sh's port-forward by default).
 *
 * - The functions' loops start with their pods and serve every episode announced in one Redis
 *   key (packages/farm hostRole); no per-episode deploy or async invocation.
 * - start(): withdraws the previous announcement, clears the farm's keys, sets the worker
 *   Deployment to the initial count (scale subresource) and waits until that many worker pods
 *   are ready, announces the episode on a wall clock whose origin is `leadMs` ahead (every
 *   host polls the key every 250 ms), and waits for every role's START.
 * - scale(): up = raise replicas (new pods join the running episode after their cold start).
 *   Down = first cancel pods still starting (the ReplicaSet removes not-ready pods first), then
 *   an addressed SCALE_DOWN SYN to the idlest workers; each ACK names its pod, which gets
 *   pod-deletion-cost ACKED_POD_DELETION_COST; then replicas go down, and the ReplicaSet
 *   removes exactly the acknowledged pods (equal readiness, lowest deletion cost first).
 * - advance(): sleeps to the step's end and reads WindowMetrics from Redis (../redis/, shared
 *   with the local backend).
 * - The backend is the only writer of the worker's replica count (OpenFaaS's autoscaler is not
 *   installed, deploy/openfaas/values*.yaml), and it trusts no count it wrote: after every step
 *   (and while an episode starts) it reads spec.replicas back; a count the platform changed
 *   (OpenFaaS CE's informer puts faas_function Deployments back to 5, replica-guard.ts) stops
 *   the run with one line naming the cause and the fix (BackendUnavailableError, exit 2).
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, queueNames, type Config, type OutputRecord, type QueueNames, type WindowMetrics } from '@autofarm/core';
import {
  DEFAULT_EPISODE_KEY,
  DEFAULT_HEARTBEAT,
  announceEpisode,
  awaitAcks,
  createClock,
  podOfWorker,
  redisFactory,
  sendScaleDown,
  withdrawEpisode,
  type ClockSpec,
  type RedisFactory,
} from '@autofarm/farm';
import { episodeWorkload } from '@autofarm/workload';
import { clampWorkers, type Backend, type EpisodeSpec } from '../backend.js';
import { RedisEpisode, clearFarmKeys, readCounters, type WorkerView } from '../redis/index.js';
import { connectOpenFaas, type OpenFaasTargets } from './preflight.js';
import { managedByFaasNetes, replicaChangeMessage } from './replica-guard.js';

/** Deletion cost of a pod whose worker acknowledged a scale-down (unannotated pods count 0). */
export const ACKED_POD_DELETION_COST = -1_000_000;

export interface OpenFaasBackendOptions {
  /** What preflight found; default: connectOpenFaas(config) on the first start(). */
  targets?: OpenFaasTargets;
  /** Redis connections (default: resilient ones to targets.redis). */
  redis?: RedisFactory;
  episodeKey?: string;
  /** Real ms between announcing an episode and its program time 0 (hosts poll every 250 ms). */
  leadMs?: number;
  /** Real ms to wait for pods to be ready and roles to start at an episode start. */
  startTimeoutMs?: number;
  /** Real ms hosts need to notice a withdrawn announcement. */
  settleMs?: number;
  /** Real ms between two looks at the pods while waiting for them. */
  pollMs?: number;
}

export interface OpenFaasStats {
  /** Real ms from SYN to ACK, per acknowledged scale-down. */
  scaleDownAckMs: number[];
  /** Pods whose worker acknowledged a scale-down, in order. */
  acknowledgedPods: string[];
  /** SYNs that got no ACK within openfaas.scale_down_timeout. */
  scaleDownTimeouts: number;
  /** Scale-downs served by cancelling a pod that was still starting. */
  cancelledStarting: number;
  /** Real ms from a scale-up request until the new workers had all registered. */
  scaleUpReadyMs: number[];
}

export class OpenFaasBackend implements Backend {
  readonly deterministic = false;
  private config: Config;
  private names: QueueNames;
  private targets: OpenFaasTargets | null;
  private conn: Redis | null = null;
  private factory: RedisFactory | null;
  private episode: RedisEpisode | null = null;
  private episodeId = '';
  private episodes = 0;
  private announced = false;
  private desired = 0;
  private workerSeconds = 0;
  private lastAccounted = 0;
  private stopped = false;
  private readonly key: string;
  private readonly leadMs: number;
  private readonly startTimeoutMs: number;
  private readonly settleMs: number;
  private readonly pollMs: number;
  private readonly stats_: OpenFaasStats = {
    scaleDownAckMs: [],
    acknowledgedPods: [],
    scaleDownTimeouts: 0,
    cancelledStarting: 0,
    scaleUpReadyMs: [],
  };
  private pendingScaleUp: { since: number; target: number } | null = null;

  constructor(config: Config, options: OpenFaasBackendOptions = {}) {
    this.config = config;
    this.names = queueNames(config.queues);
    this.targets = options.targets ?? null;
    this.factory = options.redis ?? null;
    this.key = options.episodeKey ?? DEFAULT_EPISODE_KEY;
    this.leadMs = options.leadMs ?? 1000;
    this.startTimeoutMs = options.startTimeoutMs ?? 180_000;
    this.settleMs = options.settleMs ?? 600;
    this.pollMs = options.pollMs ?? 500;
  }

  stats(): OpenFaasStats {
    return structuredClone(this.stats_);
  }

  /** Every output record collected this episode, in collection order. */
  records(): readonly OutputRecord[] {
    return this.episode?.history.records ?? [];
  }

  /** Preflight (once) and the backend's own Redis connection. */
  async connect(): Promise<OpenFaasTargets> {
    this.targets ??= await connectOpenFaas(this.config);
    this.factory ??= redisFactory(this.targets.redis);
    this.conn ??= this.factory('openfaas-backend');
    return this.targets;
  }

  async start(spec: EpisodeSpec): Promise<WindowMetrics> {
    if (this.stopped) throw new Error('OpenFaasBackend.start after stop()');
    if (spec.config !== this.config) {
      this.config = spec.config;
      this.names = queueNames(spec.config.queues);
    }
    const { cluster } = await this.connect();
    const o = this.config.openfaas;
    try {
      await this.endEpisode();
      await clearFarmKeys(this.redis(), this.names);
      // Between episodes nothing runs, so the worker count can change without SYN/ACK.
      this.desired = await cluster.setReplicas(o.worker_function, spec.initialWorkers);
      await this.waitFor(`${spec.initialWorkers} ready ${o.worker_function} pods`, async () => {
        await this.checkReplicas();
        const pods = (await cluster.listPods(o.worker_function)).filter((p) => !p.terminating);
        return pods.length === spec.initialWorkers && pods.every((p) => p.ready)
          ? true
          : `${pods.filter((p) => p.ready).length} of ${spec.initialWorkers} ready`;
      });

      this.episodeId = `of${++this.episodes}-${Date.now().toString(36)}`;
      const clock: ClockSpec = { kind: 'wall', originMs: Date.now() + this.leadMs, timeScale: 1 };
      await announceEpisode(
        this.redis(),
        { episodeId: this.episodeId, seed: spec.seed, clock, config: this.config, heartbeat: DEFAULT_HEARTBEAT },
        this.key,
      );
      this.announced = true;
      this.episode = new RedisEpisode({
        conn: this.redis(),
        names: this.names,
        clock: createClock(clock),
        tasksPlanned: episodeWorkload(this.config, spec.seed).arrivals.length,
        where: `${this.targets?.redis.host}:${this.targets?.redis.port}`,
        workers: () => this.workerView(),
      });
      this.workerSeconds = 0;
      this.lastAccounted = 0;
      this.pendingScaleUp = null;
      await this.waitFor('emitter, collector and every worker to join the episode', async () => {
        const [e, c, w] = await Promise.all([
          this.redis().llen(this.names.emitterStart),
          this.redis().llen(this.names.collectorStart),
          this.redis().scard(this.names.workerRegistry),
        ]);
        return e >= 1 && c >= 1 && w >= spec.initialWorkers
          ? true
          : `emitter ${e}/1, collector ${c}/1, workers ${w}/${spec.initialWorkers}`;
      });
      // Program time 0 is the announced origin; wait for it so step 1 is a whole step.
      await this.episode.clock.sleepUntil(0);
      return await this.episode.metrics(this.config.episode.observation_window);
    } catch (error) {
      if (error instanceof BackendUnavailableError) throw error;
      throw new BackendUnavailableError(`the OpenFaaS farm could not start an episode: ${(error as Error).message}`, { cause: error });
    }
  }

  async scale(target: number): Promise<number> {
    const want = clampWorkers(this.config.scaling, target);
    const clock = this.requireEpisode().clock;
    this.account(clock.now());
    const { cluster } = await this.connect();
    const worker = this.config.openfaas.worker_function;
    if (want > this.desired) {
      this.desired = await cluster.setReplicas(worker, want);
      this.pendingScaleUp = { since: performance.now(), target: want };
    } else if (want < this.desired) {
      await this.scaleDown(this.desired - want);
      this.desired = want;
    }
    return this.desired;
  }

  async advance(duration: number, window: number): Promise<WindowMetrics> {
    const metrics = await this.requireEpisode().advance(duration, window);
    // One GET per step: a clamp answers within milliseconds of the write, so a step later it shows.
    await this.checkReplicas();
    return metrics;
  }

  /** Throw (one line, exit 2) if the worker's spec.replicas is no longer what this backend set. */
  private async checkReplicas(): Promise<void> {
    const { cluster } = await this.connect();
    const worker = this.config.openfaas.worker_function;
    const scale = await cluster.getScale(worker);
    if (scale.replicas !== this.desired)
      throw new BackendUnavailableError(replicaChangeMessage(worker, this.desired, scale.replicas, managedByFaasNetes(scale.selector)));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.endEpisode();
    } finally {
      this.conn?.disconnect();
      this.conn = null;
    }
  }

  // --- scaling down -----------------------------------------------------------------------

  /**
   * Remove `count` workers gracefully. Pods still starting go first (no task yet; the
   * ReplicaSet ranks not-ready pods below ready ones). Then the idlest registered workers get
   * a SCALE_DOWN SYN; each ACK names its pod, which is annotated with a very low deletion cost
   * before replicas go down, so the ReplicaSet deletes exactly those pods.
   */
  private async scaleDown(count: number): Promise<void> {
    const clock = this.requireEpisode().clock;
    const { cluster } = await this.connect();
    const o = this.config.openfaas;
    const conn = this.redis();
    const pods = (await cluster.listPods(o.worker_function)).filter((p) => !p.terminating);
    let replicas = this.desired;
    const cancel = Math.min(count, pods.filter((p) => !p.ready).length);
    if (cancel > 0) {
      replicas = await cluster.setReplicas(o.worker_function, replicas - cancel);
      this.stats_.cancelledStarting += cancel;
    }
    const remaining = count - cancel;
    if (remaining === 0) return;

    const created = new Map(pods.filter((p) => p.ready).map((p) => [p.name, p.createdAt]));
    const ids = (await conn.smembers(this.names.workerRegistry)).filter((id) => created.has(podOfWorker(id)));
    const counters = await readCounters(conn, this.names, ids);
    // Idle before busy; among equals the newest pod (the one that has warmed up least).
    const ranked = ids
      .map((id) => ({ id, busy: (counters.processing.get(id) ?? 0) > 0 ? 1 : 0, created: created.get(podOfWorker(id)) ?? 0 }))
      .sort((a, b) => a.busy - b.busy || b.created - a.created);
    const targets = ranked.slice(0, remaining).map((r) => r.id);
    const timeout = o.scale_down_timeout;
    const pending = new Map<string, string>();
    const sentAt = performance.now();
    for (const target of targets) {
      const correlationId = `${this.episodeId}:down:${target}`;
      pending.set(correlationId, target);
      await sendScaleDown(
        conn,
        this.names,
        { target, correlationId, episodeId: this.episodeId, now: clock.now(), ttl: timeout },
        timeout * 1000,
      );
    }
    const acks = pending.size > 0 ? await awaitAcks(conn, this.names, new Set(pending.keys()), timeout * 1000) : new Map();
    for (const ack of acks.values()) {
      const pod = podOfWorker(ack.pod_name);
      this.stats_.scaleDownAckMs.push(performance.now() - sentAt);
      this.stats_.acknowledgedPods.push(pod);
      await cluster.setDeletionCost(pod, ACKED_POD_DELETION_COST);
    }
    this.stats_.scaleDownTimeouts += pending.size - acks.size;
    // The count asked for is applied even for a worker that did not answer (dead or stuck): the
    // ReplicaSet then removes its choice, and the reaper re-queues whatever that pod held.
    await cluster.setReplicas(o.worker_function, replicas - remaining);
  }

  // --- episode plumbing -------------------------------------------------------------------

  private redis(): Redis {
    if (!this.conn) throw new Error('OpenFaasBackend: connect() first');
    return this.conn;
  }

  private requireEpisode(): RedisEpisode {
    if (!this.episode) throw new Error('OpenFaasBackend: start() first');
    return this.episode;
  }

  /** Withdraw the announcement; the hosts abort their loops within one poll. */
  private async endEpisode(): Promise<void> {
    if (!this.announced || !this.conn) return;
    this.announced = false;
    this.episode = null;
    await withdrawEpisode(this.conn, this.key);
    await new Promise((r) => setTimeout(r, this.settleMs));
  }

  /** Poll `check` until it returns true; on timeout fail with its last answer. */
  private async waitFor(what: string, check: () => Promise<true | string>): Promise<void> {
    const deadline = performance.now() + this.startTimeoutMs;
    let last = '';
    for (;;) {
      const answer = await check();
      if (answer === true) return;
      last = answer;
      if (performance.now() > deadline)
        throw new Error(
          `timed out after ${this.startTimeoutMs / 1000} s waiting for ${what} (${last}); see ` +
            `\`kubectl -n ${this.config.openfaas.namespace} get pods\` and the function logs`,
        );
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  /** Worker-seconds: the desired count integrated over program time. */
  private account(now: number): void {
    this.workerSeconds += this.desired * Math.max(0, now - this.lastAccounted);
    this.lastAccounted = Math.max(this.lastAccounted, now);
  }

  /** The registered workers: busy ones are read from their processing lists, all count as ready. */
  private async workerView(): Promise<WorkerView> {
    const ids = await this.redis().smembers(this.names.workerRegistry);
    return {
      ids,
      at: (now) => {
        this.account(now);
        if (this.pendingScaleUp && ids.length >= this.pendingScaleUp.target) {
          this.stats_.scaleUpReadyMs.push(performance.now() - this.pendingScaleUp.since);
          this.pendingScaleUp = null;
        }
        return { workers: this.desired, readyWorkers: ids.length, workerSeconds: this.workerSeconds };
      },
    };
  }
}

/** The backend, after checking that cluster, gateway and Redis are all reachable (else BackendUnavailableError, one line). */
export async function createOpenFaasBackend(config: Config, options: OpenFaasBackendOptions = {}): Promise<OpenFaasBackend> {
  const backend = new OpenFaasBackend(config, options);
  await backend.connect();
  return backend;
}
