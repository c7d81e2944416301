/**
 * The local backend's actuator: applies a worker count to the supervised processes. A
 * scale-up adds workers (warm from the pool, else cold). A scale-down removes the cheapest
 * capacity first — a worker still starting (it holds no task), else an idle one, else the
 * newest busy one — the ready ones by an addressed SCALE_DOWN SYN: each finishes its task,
 * ACKs and exits. The count applied changes at once; the processes follow.
 */
import type { Redis } from 'ioredis';
import type { QueueNames } from '@autofarm/core';
import { sendScaleDown, type ProgramClock } from '@autofarm/farm';
import { readCounters } from '../redis/metrics.js';
import type { ProcessSupervisor, WorkerSlot } from './supervisor.js';

/** What a scale-down needs to address a worker in the current episode. */
export interface ActuationContext {
  conn: Redis;
  names: QueueNames;
  episodeId: string;
  clock: ProgramClock;
  timeScale: number;
}

/** Program seconds a SCALE_DOWN stays valid: far longer than any task (≤ 2.9 s), so it is only ever void for a dead worker. */
const SCALE_DOWN_TTL = 120;

export class LocalActuator {
  /** The worker count last applied. */
  desired = 0;

  constructor(private readonly procs: ProcessSupervisor) {}

  /** Bring the count to `want` (already clamped); returns it. */
  async apply(want: number, ctx: ActuationContext): Promise<number> {
    while (this.desired < want) {
      this.procs.addWorker();
      this.desired++;
    }
    if (this.desired > want) {
      const victims = await this.pickVictims(this.desired - want, ctx);
      for (const v of victims) await this.retire(v, ctx);
      this.desired = want;
    }
    return this.desired;
  }

  /** Cheapest capacity first: starting, then idle, then the newest busy worker. */
  private async pickVictims(count: number, ctx: ActuationContext): Promise<WorkerSlot[]> {
    const candidates = this.procs.activeSlots();
    const counters = await readCounters(
      ctx.conn,
      ctx.names,
      candidates.map((w) => w.id),
    );
    const rank = (w: WorkerSlot) => (!w.ready ? 0 : (counters.processing.get(w.id) ?? 0) === 0 ? 1 : 2);
    return candidates
      .map((w, i) => ({ w, i }))
      .sort((a, b) => rank(a.w) - rank(b.w) || b.i - a.i)
      .slice(0, count)
      .map(({ w }) => w);
  }

  private async retire(slot: WorkerSlot, ctx: ActuationContext): Promise<void> {
    if (!this.procs.retire(slot)) return;
    const syn = {
      target: slot.id,
      correlationId: `${ctx.episodeId}:${slot.id}`,
      episodeId: ctx.episodeId,
      now: ctx.clock.now(),
      ttl: SCALE_DOWN_TTL,
    };
    await sendScaleDown(ctx.conn, ctx.names, syn, (SCALE_DOWN_TTL / ctx.timeScale) * 1000);
  }
}
