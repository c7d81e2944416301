/**
 * Episode statistics, computed in one place (like Gymnasium's RecordEpisodeStatistics wrapper):
 * evaluation, training and the comparison tables all read their numbers from the record this
 * builds, step by step, from what the env returns.
 */
import { quantile, type StepInfo, type StepResult } from '@autofarm/core';
import type { EpisodeRecord } from './records.js';

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
    this.rec = {
      seed,
      steps: 0,
      actions: [],
      applied_actions: [],
      worker_counts: [],
      qos_rates: [],
      rewards: [],
      queue_lengths: [],
      avg_times: [],
      max_times: [],
      arrival_rates: [],
      times: [],
      summary: undefined as unknown as EpisodeRecord['summary'],
    };
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
      qos_rate: this.last.episodeFinalQos ?? (m.tasksPlanned > 0 ? m.metTotal / m.tasksPlanned : 1),
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
      tasks_unfinished: Math.max(0, m.tasksPlanned - m.collectedTotal),
      terminated,
      truncated,
    };
    return rec;
  }
}
