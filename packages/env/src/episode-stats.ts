/**
 * Episode statistics, computed in one place (like Gymnasium's RecordEpisodeStatistics wrapper):
 * evaluation, training and the comparison tables all read their numbers from the record this
 * builds, step by step, from what the env returns.
 */
import { quantile, type Env, type ResetOptions, type ResetResult, type StepInfo, type StepPauses, type StepResult } from '@autofarm/core';
import { emptyRecord, type EpisodeRecord, type EpisodeSummary } from './records.js';

export class EpisodeRecorder {
  private readonly rec: EpisodeRecord;
  private readonly latencies: number[] = [];
  private readonly meanWorkers: number[] = [];
  private collected: number;
  private last: StepInfo;
  private decisions = 0;
  private scalingDecisions = 0;
  /** Cumulative counters per step, for scores over part of an episode (the days of a recurring workload). */
  private readonly enqueued: number[] = [];
  private readonly workerSeconds: number[] = [];
  private readonly metByArrival: number[] = [];
  private arrivalsKnown = true;

  /** `reset` is the info of the episode's reset. */
  constructor(seed: number, reset: StepInfo) {
    this.collected = reset.metrics.collectedTotal;
    this.last = reset;
    this.rec = emptyRecord(seed, 0, undefined as unknown as EpisodeRecord['summary']);
  }

  /** One decision of the policy (several per step when it decides inside steps). */
  decision(delta: number): void {
    this.decisions++;
    if (delta !== 0) this.scalingDecisions++;
  }

  /** One env step; `requested` is the net delta the policy asked for during it. */
  step(requested: number, r: StepResult): void {
    const { info, observation } = r;
    const rec = this.rec;
    rec.actions.push(requested);
    rec.applied_actions.push(info.appliedDelta);
    rec.worker_counts.push(info.workers);
    rec.qos_rates.push(info.qosRate);
    rec.rewards.push(r.reward);
    rec.queue_lengths.push(observation[1] as number);
    rec.avg_times.push(observation[5] as number);
    rec.max_times.push(observation[6] as number);
    rec.arrival_rates.push(observation[7] as number);
    rec.times.push(info.time);
    this.meanWorkers.push(info.meanWorkers);
    // Tasks collected during this step are the newest ones of the window (window ≥ step, the
    // default being equal; a shorter window would leave some out of the percentiles).
    const fresh = Math.min(info.metrics.window.length, info.metrics.collectedTotal - this.collected);
    this.collected = info.metrics.collectedTotal;
    this.enqueued.push(info.metrics.enqueuedTotal);
    this.workerSeconds.push(info.metrics.workerSeconds);
    this.metByArrival.push(0);
    for (const t of info.metrics.window.slice(info.metrics.window.length - fresh)) {
      this.latencies.push(t.latency);
      if (t.arrival === undefined) this.arrivalsKnown = false;
      else if (t.met) this.countMet(t.arrival);
    }
    this.last = info;
  }

  /** Step `s` covers arrivals in [times[s-1], times[s]); tasks are recent, so search from the newest step back. */
  private countMet(arrival: number): void {
    const times = this.rec.times;
    let s = times.length - 1;
    while (s > 0 && arrival < (times[s - 1] as number)) s--;
    this.metByArrival[s] = (this.metByArrival[s] as number) + 1;
  }

  finish(terminated: boolean, truncated: boolean): EpisodeRecord {
    const rec = this.rec;
    rec.enqueued_totals = this.enqueued;
    rec.worker_seconds_totals = this.workerSeconds;
    if (this.arrivalsKnown) rec.met_by_arrival = this.metByArrival;
    const m = this.last.metrics;
    const steps = rec.actions.length;
    const total = rec.rewards.reduce((a, b) => a + b, 0);
    const average = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    rec.steps = steps;
    rec.summary = {
      steps,
      qos_rate: this.last.episodeFinalQos ?? (m.enqueuedTotal > 0 ? m.metTotal / m.enqueuedTotal : 1),
      mean_qos: steps > 0 ? average(rec.qos_rates) : 1,
      mean_workers: steps > 0 ? average(this.meanWorkers) : this.last.workers,
      max_workers: steps > 0 ? Math.max(...rec.worker_counts) : this.last.workers,
      worker_seconds: m.workerSeconds,
      decisions: this.decisions,
      scaling_actions: this.scalingDecisions,
      noop_actions: this.decisions - this.scalingDecisions,
      total_reward: total,
      mean_reward: steps > 0 ? total / steps : 0,
      p50_latency: quantile(this.latencies, 0.5),
      p95_latency: quantile(this.latencies, 0.95),
      tasks_generated: m.enqueuedTotal,
      tasks_completed: m.collectedTotal,
      tasks_met: m.metTotal,
      tasks_unfinished: Math.max(0, m.enqueuedTotal - m.collectedTotal),
      terminated,
      truncated,
    };
    return rec;
  }
}

/**
 * What an episode cost, in worker-seconds: the workers it kept plus `missPrice` worker-seconds per
 * task that missed its deadline or never finished (the general agents' objective; their per-step
 * cost reward, agents/general/cost.ts, sums to minus this over maxWorkers × step). E.g. 3000
 * worker-seconds and 10 misses at price 100: 4000.
 */
export function episodeCost(summary: Pick<EpisodeSummary, 'worker_seconds' | 'tasks_generated' | 'tasks_met'>, missPrice: number): number {
  return summary.worker_seconds + missPrice * (summary.tasks_generated - summary.tasks_met);
}

/**
 * The numbers a training row reports about its episode (runs' training_metrics.json schema is
 * built from this list). total_reward: the farm's shaped reward (reference §7.7); mean_qos: the mean window
 * QoS; final_qos: met / generated; scale_up/scale_down/noop_count: steps whose APPLIED delta was
 * > 0, < 0, = 0 (reference §12.2); max_workers: of the initial and every after-step count.
 */
export const EPISODE_STATISTICS = [
  'steps',
  'total_reward',
  'mean_qos',
  'final_qos',
  'processed_tasks',
  'scale_up_count',
  'scale_down_count',
  'noop_count',
  'max_workers',
  'mean_workers',
  'qos_violations',
  'unfinished_tasks',
] as const;

/** What a training row reports about its episode, all read off the recorder's record. */
export type EpisodeStatistics = Record<(typeof EPISODE_STATISTICS)[number], number> & { terminated: boolean; truncated: boolean };

export function episodeStatistics(record: EpisodeRecord): EpisodeStatistics {
  const s = record.summary;
  const ups = record.applied_actions.filter((a) => a > 0).length;
  const downs = record.applied_actions.filter((a) => a < 0).length;
  return {
    steps: s.steps,
    total_reward: s.total_reward,
    mean_qos: s.mean_qos,
    // met / generated with unfinished tasks counted as misses (fixes reference §16.1 item 9).
    final_qos: s.qos_rate,
    processed_tasks: s.tasks_completed,
    scale_up_count: ups,
    scale_down_count: downs,
    noop_count: s.steps - ups - downs,
    max_workers: s.max_workers,
    mean_workers: s.mean_workers,
    qos_violations: s.tasks_completed - s.tasks_met,
    unfinished_tasks: s.tasks_unfinished,
    terminated: s.terminated,
    truncated: s.truncated,
  };
}

/**
 * An Env wrapper that records every episode through an EpisodeRecorder (Gymnasium's
 * RecordEpisodeStatistics): training loops drive it like the env itself and read
 * `lastEpisode` when an episode ends, so training rows and evaluation records come from the same
 * code. The requested delta of a step is the action given to `step` (pauses are not recorded).
 */
export class RecordEpisodeStatistics implements Env {
  readonly observationSpace: Env['observationSpace'];
  readonly actionSpace: Env['actionSpace'];
  readonly bounds: Env['bounds'];
  readonly deterministic: boolean;
  /** The record of the last finished episode (null before the first ends). */
  lastEpisode: EpisodeRecord | null = null;
  private recorder: EpisodeRecorder | null = null;

  constructor(readonly env: Env) {
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
    this.bounds = env.bounds;
    this.deterministic = env.deterministic;
  }

  async reset(options?: ResetOptions): Promise<ResetResult> {
    const r = await this.env.reset(options);
    this.recorder = new EpisodeRecorder(options?.seed ?? Number.NaN, r.info);
    return r;
  }

  async step(action: number, pauses?: StepPauses): Promise<StepResult> {
    const r = await this.env.step(action, pauses);
    if (this.recorder) {
      this.recorder.decision(action);
      this.recorder.step(action, r);
      if (r.terminated || r.truncated) {
        this.lastEpisode = this.recorder.finish(r.terminated, r.truncated);
        this.recorder = null;
      }
    }
    return r;
  }

  close(): Promise<void> {
    return this.env.close();
  }
}
