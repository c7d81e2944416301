/**
 * The worker Deployment on OpenFaaS as a live controller's scale target: the count is the scale
 * subresource's spec.replicas, the clock the one the running episode announced in Redis
 * (farm's host.ts). Up raises replicas. Down is graceful as in the openfaas backend: pods
 * still starting go first, then the idlest registered workers get an addressed SCALE_DOWN SYN
 * and each ACK's pod gets the lowest deletion cost before replicas go down, so the ReplicaSet
 * removes exactly the pods that finished their task (keda#157: no in-flight work is killed).
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, queueNames, type Config, type QueueNames } from '@autofarm/core';
import {
  DEFAULT_EPISODE_KEY,
  awaitAcks,
  createClock,
  podOfWorker,
  readAnnouncement,
  sendScaleDown,
  type ProgramClock,
} from '@autofarm/farm';
import { readCounters } from '../redis/metrics.js';
import { ACKED_POD_DELETION_COST } from '../openfaas/openfaas-backend.js';
import type { OpenFaasTargets } from '../openfaas/preflight.js';
import type { ScaleTarget, TargetStatus } from './scale-target.js';

export class OpenFaasScaleTarget implements ScaleTarget {
  readonly where: string;
  private readonly names: QueueNames;
  private episode: { id: string; clock: ProgramClock; spec: string } | null = null;
  private sent = 0;

  constructor(
    private readonly config: Config,
    private readonly targets: OpenFaasTargets,
    private readonly conn: Redis,
    private readonly episodeKey = DEFAULT_EPISODE_KEY,
  ) {
    this.names = queueNames(config.queues);
    this.where = `${targets.cluster.server} (deployment ${config.openfaas.namespace}/${config.openfaas.worker_function})`;
  }

  async clock(): Promise<ProgramClock> {
    const read = await readAnnouncement(this.conn, this.episodeKey);
    if (!read.ok) throw new BackendUnavailableError(`${this.episodeKey} in Redis is malformed: ${read.reason}`);
    if (!read.value)
      throw new BackendUnavailableError(
        `no episode announced in Redis (${this.episodeKey}): start the load with \`autofarm load --backend openfaas\``,
      );
    const spec = JSON.stringify(read.value.clock);
    if (this.episode?.spec !== spec) this.episode = { id: read.value.episodeId, clock: createClock(read.value.clock), spec };
    return this.episode.clock;
  }

  async status(): Promise<TargetStatus> {
    const o = this.config.openfaas;
    const pods = (await this.targets.cluster.listPods(o.worker_function)).filter((p) => !p.terminating);
    const workers = await this.targets.cluster.getReplicas(o.worker_function);
    return { workers, ready: pods.filter((p) => p.ready).length };
  }

  async apply(want: number): Promise<number> {
    const { cluster } = this.targets;
    const o = this.config.openfaas;
    const current = await cluster.getReplicas(o.worker_function);
    if (want >= current) return want === current ? current : cluster.setReplicas(o.worker_function, want);
    const clock = await this.clock();
    const episodeId = (this.episode as { id: string }).id;
    const pods = (await cluster.listPods(o.worker_function)).filter((p) => !p.terminating);
    let replicas = current;
    const count = current - want;
    const cancel = Math.min(count, pods.filter((p) => !p.ready).length);
    if (cancel > 0) replicas = await cluster.setReplicas(o.worker_function, replicas - cancel);
    const remaining = count - cancel;
    if (remaining === 0) return replicas;
    const created = new Map(pods.filter((p) => p.ready).map((p) => [p.name, p.createdAt]));
    const ids = (await this.conn.smembers(this.names.workerRegistry)).filter((id) => created.has(podOfWorker(id)));
    const counters = await readCounters(this.conn, this.names, ids);
    const ranked = ids
      .map((id) => ({ id, busy: (counters.processing.get(id) ?? 0) > 0 ? 1 : 0, created: created.get(podOfWorker(id)) ?? 0 }))
      .sort((a, b) => a.busy - b.busy || b.created - a.created);
    const timeout = o.scale_down_timeout;
    const pending = new Set<string>();
    for (const { id } of ranked.slice(0, remaining)) {
      const correlationId = `${episodeId}:live-down:${id}:${++this.sent}`;
      pending.add(correlationId);
      await sendScaleDown(this.conn, this.names, { target: id, correlationId, episodeId, now: clock.now(), ttl: timeout }, timeout * 1000);
    }
    const acks = pending.size > 0 ? await awaitAcks(this.conn, this.names, pending, timeout * 1000) : new Map();
    for (const ack of acks.values()) await cluster.setDeletionCost(podOfWorker(ack.pod_name), ACKED_POD_DELETION_COST);
    // As the backend does: a worker that did not answer (dead or stuck) is removed anyway; the reaper re-queues its task.
    return cluster.setReplicas(o.worker_function, replicas - remaining);
  }
}
