/**
 * Scores over part of an episode: the days of a recurring workload (workload.repeat), where the
 * first day is the history a predictive scaler needs and the score starts on day 2. A slice is
 * a whole number of steps; its QoS counts the tasks that ARRIVED in it (met / generated, so a
 * task still queued at the end is a miss, as in the whole-episode score) and its cost the
 * worker-seconds consumed in it. Fields a slice cannot split (decision counts, latency
 * percentiles, tasks completed) keep the whole episode's values.
 */
import { mean } from '@autofarm/core';
import type { EpisodeRecord } from './records.js';

/** The first step that starts at or after `time` seconds (steps.length if none): where a day starting at `time` begins. */
export function stepStartingAt(record: EpisodeRecord, time: number): number {
  const eps = 1e-6;
  if (time <= eps) return 0;
  for (let s = 1; s < record.times.length; s++) if ((record.times[s - 1] as number) >= time - eps) return s;
  return record.times.length;
}

/** True if the record carries the per-step counters a slice needs (records of the simulator do). */
export function canSlice(record: EpisodeRecord): boolean {
  return record.enqueued_totals !== undefined && record.worker_seconds_totals !== undefined && record.met_by_arrival !== undefined;
}

/** The record of steps [from, to) scored as an episode of its own. Throws if the record lacks the counters (see canSlice). */
export function sliceRecord(record: EpisodeRecord, from: number, to = record.steps): EpisodeRecord {
  const enq = record.enqueued_totals;
  const ws = record.worker_seconds_totals;
  const met = record.met_by_arrival;
  if (!enq || !ws || !met) throw new Error(`episode ${record.seed}: no per-step counters to slice (a backend without task arrival times)`);
  const lo = Math.max(0, Math.min(from, record.steps));
  const hi = Math.max(lo, Math.min(to, record.steps));
  const before = <T>(xs: readonly T[], zero: T) => (lo > 0 ? (xs[lo - 1] as T) : zero);
  const cut = <T>(xs: readonly T[]) => xs.slice(lo, hi);
  const steps = hi - lo;
  const generated = (hi > 0 ? (enq[hi - 1] as number) : 0) - before(enq, 0);
  const tasksMet = met.slice(lo, hi).reduce((a, b) => a + b, 0);
  const workerSeconds = (hi > 0 ? (ws[hi - 1] as number) : 0) - before(ws, 0);
  const seconds = (hi > 0 ? (record.times[hi - 1] as number) : 0) - before(record.times, 0);
  const rewards = cut(record.rewards);
  const total = rewards.reduce((a, b) => a + b, 0);
  const last = hi === record.steps;
  return {
    ...record,
    steps,
    actions: cut(record.actions),
    applied_actions: cut(record.applied_actions),
    worker_counts: cut(record.worker_counts),
    qos_rates: cut(record.qos_rates),
    rewards,
    queue_lengths: cut(record.queue_lengths),
    avg_times: cut(record.avg_times),
    max_times: cut(record.max_times),
    arrival_rates: cut(record.arrival_rates),
    times: cut(record.times),
    enqueued_totals: cut(enq),
    worker_seconds_totals: cut(ws),
    met_by_arrival: cut(met),
    summary: {
      ...record.summary,
      steps,
      qos_rate: generated > 0 ? tasksMet / generated : 1,
      mean_qos: steps > 0 ? mean(cut(record.qos_rates)) : 1,
      mean_workers: seconds > 0 ? workerSeconds / seconds : 0,
      max_workers: steps > 0 ? Math.max(...cut(record.worker_counts)) : 0,
      worker_seconds: workerSeconds,
      total_reward: total,
      mean_reward: steps > 0 ? total / steps : 0,
      tasks_generated: generated,
      tasks_met: tasksMet,
      // tasks never finished arrived late in the episode: they belong to the slice that ends it
      tasks_unfinished: last ? record.summary.tasks_unfinished : 0,
      terminated: last && record.summary.terminated,
      truncated: last && record.summary.truncated,
    },
  };
}
