/**
 * Control messages, both sides.
 *
 * Loop side: `watchControl` BLPOPs a role's control list in the background (its own connection)
 * and hands each message over; the BLPOP timeout doubles as the heartbeat period.
 *
 * Controller side: a SCALE_DOWN SYN is pushed to the target worker's own list and names it,
 * carries the episode id, a correlation id and an expiry. A worker accepts only a SYN for
 * itself, this episode, not expired; anything else is dead-lettered. So a SYN left behind by a
 * timed-out scale-down can never stop another (or a later) worker (reference §16 item 30). The ACK echoes
 * the correlation id, and `awaitAcks` matches ACKs to the SYNs it is waiting for.
 */
import type { Redis } from 'ioredis';
import { decodeControl, encodeMessage, type AckMessage, type QueueNames, type SynMessage } from '@autofarm/core';
import { pause } from './blocking.js';
import type { ProgramClock } from './clock.js';
import { deadLetter } from './dead-letter.js';
import { emit, type FarmHooks } from './events.js';

export interface ControlWatchOptions {
  conn: Redis;
  list: string;
  /** BLPOP timeout, seconds; `onTick` runs after every return (message or timeout). */
  timeoutSeconds: number;
  running: () => boolean;
  onMessage: (raw: string) => Promise<void>;
  onTick?: () => Promise<void>;
  onError: (error: Error) => void;
}

export async function watchControl(o: ControlWatchOptions): Promise<void> {
  while (o.running()) {
    try {
      const popped = await o.conn.blpop(o.list, o.timeoutSeconds);
      if (!o.running()) return;
      if (popped) await o.onMessage(popped[1]);
      if (o.onTick) await o.onTick();
    } catch (error) {
      if (!o.running()) return;
      o.onError(error as Error);
      await pause(100);
    }
  }
}

export interface TerminateWatchOptions {
  conn: Redis;
  names: QueueNames;
  /** The role's control list. */
  list: string;
  role: 'emitter' | 'collector';
  id: string;
  episodeId: string;
  clock: ProgramClock;
  hooks?: FarmHooks | undefined;
  running: () => boolean;
  onTerminate: () => Promise<void> | void;
}

/**
 * The emitter's and the collector's control loop: a TERMINATE SYN for this role, this episode
 * and not expired stops it; anything else on its list is dead-lettered with the reason.
 */
export function watchTerminate(o: TerminateWatchOptions): Promise<void> {
  const by = `${o.role} ${o.id}`;
  return watchControl({
    conn: o.conn,
    list: o.list,
    timeoutSeconds: 1,
    running: o.running,
    onMessage: async (raw) => {
      const decoded = decodeControl(raw);
      const rejection = !decoded.ok
        ? decoded.reason
        : decoded.value.action !== 'SYN' || decoded.value.type !== 'TERMINATE'
          ? `unexpected ${decoded.value.type} ${decoded.value.action} on the ${o.role} control list`
          : synRejection(decoded.value, { id: o.id, episodeId: o.episodeId, now: o.clock.now() });
      if (rejection) return deadLetter(o.conn, o.names, { source: o.list, raw, reason: rejection, by, at: o.clock.now() }, o.hooks);
      await o.onTerminate();
    },
    onError: (e) => emit(o.hooks, { type: 'error', by, message: `control: ${e.message}` }),
  });
}

/**
 * The emitter's and the collector's start: say "ready" on the role's start list (the backend
 * waits for it), then watch the control list for TERMINATE. `control` ends with the watch.
 */
export async function announceReady(conn: Redis, role: Omit<TerminateWatchOptions, 'list'>): Promise<{ control: Promise<void> }> {
  const o = { ...role, list: role.role === 'emitter' ? role.names.emitterControl : role.names.collectorControl };
  await conn.lpush(
    o.role === 'emitter' ? o.names.emitterStart : o.names.collectorStart,
    encodeMessage({
      type: 'START',
      action: 'SYNC',
      start_timestamp: o.clock.now().toFixed(6),
      pod_name: o.id,
      message: `${o.role} ready`,
      episode_id: o.episodeId,
    }),
  );
  emit(o.hooks, { type: 'ready', role: o.role, id: o.id, at: o.clock.now() });
  return { control: watchTerminate(o) };
}

/** Why a SYN does not apply to this receiver, or null if it does. */
export function synRejection(syn: SynMessage, me: { id: string; episodeId: string; now: number }): string | null {
  if (syn.target !== undefined && syn.target !== me.id) return `SYN addressed to ${syn.target}, received by ${me.id}`;
  if (syn.type === 'SCALE_DOWN' && syn.target === undefined) return 'SCALE_DOWN SYN without a target worker';
  if (syn.episode_id !== undefined && syn.episode_id !== me.episodeId)
    return `stale SYN from episode ${syn.episode_id} (now ${me.episodeId})`;
  if (syn.expires_at !== undefined && syn.expires_at < me.now)
    return `expired SYN (expired at ${syn.expires_at.toFixed(3)}, now ${me.now.toFixed(3)})`;
  return null;
}

export interface SynSpec {
  type: 'SCALE_DOWN' | 'TERMINATE';
  correlationId: string;
  episodeId: string;
  now: number;
  /** Program seconds the SYN stays valid. */
  ttl: number;
  target?: string;
  message?: string;
}

export function synMessage(s: SynSpec): SynMessage {
  return {
    type: s.type,
    action: 'SYN',
    message: s.message ?? (s.type === 'SCALE_DOWN' ? 'finish the current task, acknowledge and exit' : 'stop now'),
    SYN_timestamp: s.now,
    correlation_id: s.correlationId,
    ...(s.target === undefined ? {} : { target: s.target }),
    episode_id: s.episodeId,
    expires_at: s.now + s.ttl,
  };
}

/** Push a SCALE_DOWN SYN to `target`'s own control list; the list expires with the SYN. */
export async function sendScaleDown(
  conn: Redis,
  names: QueueNames,
  s: Omit<SynSpec, 'type'> & { target: string },
  realTtlMs: number,
): Promise<void> {
  const key = names.workerControl(s.target);
  await conn
    .multi()
    .lpush(key, encodeMessage(synMessage({ ...s, type: 'SCALE_DOWN' })))
    .pexpire(key, realTtlMs)
    .exec();
}

export function ackMessage(syn: SynMessage, workerId: string, now: number): AckMessage {
  return {
    type: 'SCALE_DOWN',
    action: 'ACK',
    ack_timestamp: now,
    task_id: syn.correlation_id,
    correlation_id: syn.correlation_id,
    pod_name: workerId,
    message: 'finished the current task, exiting',
    ...(syn.episode_id === undefined ? {} : { episode_id: syn.episode_id }),
  };
}

/**
 * Pop ACKs from the shared ACK list until every correlation id in `pending` is acknowledged or
 * `timeoutMs` passes. ACKs for ids nobody waits for (stale) are dropped. Returns the ACKs found.
 */
export async function awaitAcks(
  conn: Redis,
  names: QueueNames,
  pending: ReadonlySet<string>,
  timeoutMs: number,
): Promise<Map<string, AckMessage>> {
  const found = new Map<string, AckMessage>();
  const deadline = Date.now() + timeoutMs;
  while (found.size < pending.size) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const popped = await conn.brpop(names.workerControlAck, Math.max(0.01, left / 1000));
    if (!popped) continue;
    const decoded = decodeControl(popped[1]);
    if (!decoded.ok || decoded.value.action !== 'ACK') continue;
    if (pending.has(decoded.value.correlation_id)) found.set(decoded.value.correlation_id, decoded.value);
  }
  return found;
}
