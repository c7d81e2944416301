/**
 * The live controller: a policy as a running autoscaler. No episodes, no reset, no emitter of
 * its own: at every tick it reads the farm's signals from Redis and the target's count, builds
 * each policy's observation and context exactly as an episode does (../observation.ts), lets
 * the policies whose cadence has come decide, bounds the answer in one place (bounds.ts) and
 * asks the target for it. The fallback rule decides when the chosen policy cannot (none built,
 * it threw, its answer is not a finite delta within the range, or the signals are stale), and
 * it is fed every tick in the shadow, so its windows are warm when it takes over. Every
 * decision is one JSON record; an abort (SIGTERM) ends the loop after the current decision
 * without touching the count.
 */
import type { Redis } from 'ioredis';
import { decisionCadence, queueNames, type Config, type Observation, type Policy, type WindowMetrics } from '@autofarm/core';
import type { ProgramClock } from '@autofarm/farm';
import { observe, type ArrivalMark } from '../observation.js';
import { withTimeout } from '../redis/wait.js';
import { boundDesired, RemovalWindow, type Bound } from './bounds.js';
import type { AutoscaleMetrics } from './metrics.js';
import type { ScaleTarget, TargetStatus } from './scale-target.js';
import { LiveSignals } from './signals.js';

export type DecisionReason =
  'policy' | 'fallback:no-policy' | 'fallback:stale' | 'fallback:error' | 'fallback:invalid' | 'hold:signals-unavailable';

/** One decision as logged (one JSON line) and counted. */
export interface DecisionRecord {
  /** Wall-clock time of the decision (ISO 8601). */
  time: string;
  /** Program seconds on the farm's clock. */
  t: number;
  policy: string;
  /** The policy whose answer was used. */
  active: string;
  fallback: boolean;
  reason: DecisionReason;
  bound: Bound | null;
  inputs: {
    queue: number;
    busy: number;
    ready: number;
    workers: number;
    arrival_rate: number;
    qos: number;
    avg_latency: number;
    enqueued: number;
    collected: number;
  } | null;
  /** The active policy's worker delta (null when none was asked). */
  output: number | null;
  current: number | null;
  desired: number | null;
  /** The count the target recorded; null in a dry run or when nothing could be applied. */
  applied: number | null;
  dry_run: boolean;
  /** Real ms from reading the signals to the bounded decision (the latency histogram's sample); null for a hold. */
  decision_ms: number | null;
  error?: string;
}

export interface AutoscalerOptions {
  config: Config;
  /** The chosen policy; null when it could not be built (`policyError` says why): the fallback decides throughout. */
  policy: Policy | null;
  policyName: string;
  policyError?: string;
  fallback: Policy;
  /** The farm's Redis (signals). */
  conn: Redis;
  target: ScaleTarget;
  metrics: AutoscaleMetrics;
  log: (record: DecisionRecord) => void;
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Stop after this many decisions (tests, benches); default: run until aborted. */
  maxDecisions?: number;
  /** Real ms a Redis or target call may take before it counts as no answer. */
  callTimeoutMs?: number;
}

export interface AutoscaleSummary {
  decisions: number;
  fallbackDecisions: number;
  lastDesired: number | null;
}

interface Slot {
  policy: Policy;
  cadence: number;
  due: number;
  mark: ArrivalMark | null;
  step: number;
}

interface Answer {
  output: number | null;
  observation: Observation;
  error?: string;
}

/** Run until `signal` aborts (or `maxDecisions`); throws only if the target cannot be reached at the start. */
export async function runAutoscaler(o: AutoscalerOptions): Promise<AutoscaleSummary> {
  return new Controller(o).run();
}

class Controller {
  private readonly signals: LiveSignals;
  private readonly removals = new RemovalWindow(60);
  private readonly range: { minWorkers: number; maxWorkers: number };
  private readonly primary: Slot | null;
  private readonly fallback: Slot;
  private readonly tick: number;
  private readonly timeoutMs: number;
  private clock!: ProgramClock;
  private lastOk = 0;
  private lastMove = 0;
  private lastEnqueued = -1;
  private readonly summary: AutoscaleSummary = { decisions: 0, fallbackDecisions: 0, lastDesired: null };

  constructor(private readonly o: AutoscalerOptions) {
    const { scaling, episode } = o.config;
    this.range = { minWorkers: scaling.min_workers, maxWorkers: scaling.max_workers };
    const bounds = { ...this.range, stepDuration: episode.step_duration, maxDelta: scaling.max_delta };
    const slot = (policy: Policy): Slot => ({
      policy,
      cadence: decisionCadence(policy, 'native', bounds),
      due: -Infinity,
      mark: null,
      step: 0,
    });
    this.primary = o.policy ? slot(o.policy) : null;
    this.fallback = slot(o.fallback);
    this.tick = Math.min(this.fallback.cadence, this.primary?.cadence ?? Infinity);
    this.signals = new LiveSignals(o.conn, queueNames(o.config.queues), episode.observation_window);
    this.timeoutMs = o.callTimeoutMs ?? 2000;
  }

  async run(): Promise<AutoscaleSummary> {
    this.clock = await withTimeout(this.o.target.clock(), this.timeoutMs * 3, `no answer from ${this.o.target.where}`);
    const start = this.clock.now();
    [this.lastOk, this.lastMove] = [start, start];
    this.o.policy?.reset();
    this.o.fallback.reset();
    let next = start;
    while (!this.o.signal?.aborted && this.summary.decisions < (this.o.maxDecisions ?? Infinity)) {
      if (!(await this.clock.sleepUntil(next, this.o.signal))) break;
      const now = await this.step();
      // Ticks are laid end to end; after a stall (or a farm restarted on a new origin) the next comes one tick from now.
      next = Math.abs(next + this.tick - now) > this.tick * 2 ? now + this.tick : next + this.tick;
    }
    return this.summary;
  }

  /** One tick: read, let the due policies act, decide, apply. Returns the program time it ran at. */
  private async step(): Promise<number> {
    const started = performance.now();
    const o = this.o;
    let status: TargetStatus;
    let m: WindowMetrics;
    let t: number;
    try {
      status = await withTimeout(o.target.status(), this.timeoutMs, `no answer from ${o.target.where}`);
      this.clock = await withTimeout(o.target.clock(), this.timeoutMs, `no answer from ${o.target.where}`);
      t = this.clock.now();
      m = await withTimeout(this.signals.read(t, status), this.timeoutMs, `no answer from redis`);
    } catch (error) {
      t = this.clock.now();
      const stale = t - this.lastOk > o.config.autoscale.stale_after;
      o.metrics.isReady = false;
      o.metrics.fallbackActive.set(stale ? 1 : 0);
      // Nothing can be read, so nothing can be decided on or (locally) applied: hold the count.
      this.record(
        t,
        { reason: 'hold:signals-unavailable', fallback: stale, active: null, answer: null, status: null, m: null },
        (error as Error).message,
      );
      return t;
    }
    this.lastOk = t;
    if (m.enqueuedTotal !== this.lastEnqueued) [this.lastEnqueued, this.lastMove] = [m.enqueuedTotal, t];
    const stale = t - this.lastMove > o.config.autoscale.stale_after;
    this.observe(status, m, stale);

    const primaryAnswer = this.primary && this.isDue(this.primary, t) ? this.ask(this.primary, m, t) : null;
    let fallbackAnswer = this.isDue(this.fallback, t) ? this.ask(this.fallback, m, t) : null;
    let reason: DecisionReason | null = null;
    if (!this.primary) reason = 'fallback:no-policy';
    else if (stale) reason = 'fallback:stale';
    else if (primaryAnswer?.error !== undefined) reason = primaryAnswer.output === null ? 'fallback:error' : 'fallback:invalid';
    else if (primaryAnswer) reason = 'policy';
    if (reason === null) return t; // the primary is not due and nothing forces the fallback
    let answer = reason === 'policy' ? primaryAnswer : fallbackAnswer;
    if (!answer && (reason === 'fallback:error' || reason === 'fallback:invalid'))
      answer = fallbackAnswer = this.ask(this.fallback, m, t, true);
    if (!answer) return t; // in fallback mode, between two of the fallback's decisions
    const active = reason === 'policy' ? (this.primary as Slot) : this.fallback;
    await this.decide(t, started, status, m, reason, active, answer, primaryAnswer?.error);
    return t;
  }

  /**
   * Due within half a tick: ticks wake a little late on a busy machine, so a decision due at
   * 10.0 is taken at the tick that ran at 9.98 rather than one whole tick later.
   */
  private isDue(slot: Slot, t: number): boolean {
    return slot.due <= t + this.tick * 0.5;
  }

  /** The policy's answer: a finite delta within the range, or an error saying why not. */
  private ask(slot: Slot, m: WindowMetrics, t: number, forced = false): Answer {
    const observation = observe(m, slot.mark, this.o.config.episode);
    slot.mark = { time: t, enqueued: m.enqueuedTotal };
    if (!forced || this.isDue(slot, t)) slot.due = slot.due + slot.cadence > t ? slot.due + slot.cadence : t + slot.cadence;
    const span = this.range.maxWorkers - this.range.minWorkers;
    const ctx = {
      time: t,
      step: slot.step++,
      stepDuration: this.o.config.episode.step_duration,
      ...this.range,
      maxDelta: span,
      signals: { busyWorkers: m.busyWorkers, readyWorkers: m.readyWorkers, queueLength: m.workerQueue, enqueuedTotal: m.enqueuedTotal },
    };
    let output: unknown;
    try {
      output = slot.policy.act(observation, ctx);
    } catch (error) {
      return { output: null, observation, error: `${slot.policy.name} threw: ${(error as Error).message}` };
    }
    if (typeof output !== 'number' || !Number.isFinite(output) || Math.abs(output) > span)
      return { output: Number.NaN, observation, error: `${slot.policy.name} answered ${String(output)}, not a delta within ±${span}` };
    return { output, observation };
  }

  private async decide(
    t: number,
    started: number,
    status: TargetStatus,
    m: WindowMetrics,
    reason: DecisionReason,
    active: Slot,
    answer: Answer,
    primaryError: string | undefined,
  ): Promise<void> {
    const o = this.o;
    const { desired, bound } = boundDesired({
      current: status.workers,
      delta: answer.output as number,
      busy: m.busyWorkers,
      ...this.range,
      removedRecently: this.removals.total(t),
      scaleDownPerMinute: o.config.autoscale.scale_down_per_minute,
    });
    const decisionMs = performance.now() - started;
    o.metrics.decisionSeconds.observe(decisionMs / 1000);
    let applied: number | null = null;
    let error = primaryError;
    if (!o.dryRun) {
      try {
        applied =
          desired === status.workers
            ? status.workers
            : await withTimeout(o.target.apply(desired), this.timeoutMs * 5, `no answer from ${o.target.where}`);
        if (applied < status.workers) this.removals.record(t, status.workers - applied);
      } catch (e) {
        error = `apply ${desired}: ${(e as Error).message}`;
      }
    }
    o.metrics.desired.set(desired);
    o.metrics.observedRate.set(answer.observation[7] ?? 0);
    const forecast = (active.policy as { forecastRate?: unknown }).forecastRate;
    if (typeof forecast === 'number' && Number.isFinite(forecast)) o.metrics.forecastRate.set(forecast);
    this.summary.lastDesired = desired;
    this.record(t, { reason, fallback: reason !== 'policy', active, answer, status, m, desired, applied, bound, decisionMs }, error);
  }

  /** Gauges that follow the farm whether or not a decision is made this tick. */
  private observe(status: TargetStatus, m: WindowMetrics, stale: boolean): void {
    const metrics = this.o.metrics;
    metrics.actual.set(status.workers);
    metrics.ready.set(status.ready);
    metrics.busy.set(m.busyWorkers);
    metrics.queue.set(m.workerQueue);
    if (m.window.length > 0) metrics.qos.set(m.window.filter((w) => w.met).length / m.window.length);
    metrics.fallbackActive.set(stale || !this.primary ? 1 : 0);
    metrics.isReady = !stale;
  }

  private record(
    t: number,
    d: {
      reason: DecisionReason;
      fallback: boolean;
      active: Slot | null;
      answer: Answer | null;
      status: TargetStatus | null;
      m: WindowMetrics | null;
      desired?: number;
      applied?: number | null;
      bound?: Bound | null;
      decisionMs?: number;
    },
    error?: string,
  ): void {
    const fallback = d.fallback;
    const obs = d.answer?.observation;
    this.summary.decisions++;
    if (fallback) this.summary.fallbackDecisions++;
    this.o.metrics.decisions.inc({ reason: d.reason, bound: d.bound ?? 'none' });
    this.o.log({
      time: new Date().toISOString(),
      t: round(t),
      policy: this.o.policyName,
      active: d.active?.policy.name ?? 'none',
      fallback,
      reason: d.reason,
      bound: d.bound ?? null,
      inputs:
        d.m && d.status && obs
          ? {
              queue: d.m.workerQueue,
              busy: d.m.busyWorkers,
              ready: d.status.ready,
              workers: d.status.workers,
              arrival_rate: round(obs[7] ?? 0),
              qos: round(obs[8] ?? 0),
              avg_latency: round(obs[5] ?? 0),
              enqueued: d.m.enqueuedTotal,
              collected: d.m.collectedTotal,
            }
          : null,
      output: d.answer && Number.isFinite(d.answer.output) ? d.answer.output : null,
      current: d.status?.workers ?? null,
      desired: d.desired ?? null,
      applied: d.applied ?? null,
      dry_run: this.o.dryRun ?? false,
      decision_ms: d.decisionMs !== undefined ? round(d.decisionMs) : null,
      ...(error !== undefined ? { error } : this.o.policyError && !this.primary ? { error: this.o.policyError } : {}),
    });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
