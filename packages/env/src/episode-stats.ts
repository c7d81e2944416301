/**
 * Episode statistics, computed in one place (like Gymnasium's RecordEpisodeStatistics wrapper):
 * evaluation, training and the comparison tables all read their numbers from the record this
 * builds, step by step, from what the env returns.
 */
import { quantile, type Env, type ResetOptions, type ResetResult, type StepInfo, type StepPauses, type StepResult } from '@autofarm/core';
import { emptyRecord, type EpisodeRecord } from './records.js';

export class EpisodeRecorder {
  private readonly rec: EpisodeRecord;
  private readonly latencies: number[] = [];
  private readonly meanWorkers: number[] = [];
  private collected: number;
  private last: StepInfo;
  private decisions = 0;
  private scalingDecisions = 0;

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
    for (const t of info.metrics.window.slice(info.metrics.window.length - fresh)) this.latencies.push(t.latency);
    this.last = info;
  }

  finish(terminated: boolean, truncated: boolean): EpisodeRecord {
    const rec = this.rec;
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

/** What a training row reports about its episode, all read off the recorder's record. */
export interface EpisodeStatistics {
  steps: number;
  total_reward: number;
  mean_qos: number;
  final_qos: number;
  processed_tasks: number;
  /** Steps whose APPLIED delta was > 0, < 0, = 0 (training counts applied deltas, reference §12.2). */
  scale_up_count: number;
  scale_down_count: number;
  noop_count: number;
  max_workers: number;
  mean_workers: number;
  qos_violations: number;
  unfinished_tasks: number;
  terminated: boolean;
  truncated: boolean;
}

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
