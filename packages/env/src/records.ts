/**
 * Episode records and their summary: the output contract every evaluation writes
 * (aggregated_results.json, summary.json). QoS figures are fractions; times are seconds.
 */
import { mean, std } from '@autofarm/core';

/** One evaluated episode, per-step arrays aligned by step index (step 1 first). */
export interface EpisodeRecord {
  seed: number;
  steps: number;
  /** Net worker delta the policy asked for during each step (before limits and clamping). */
  actions: number[];
  /** Deltas the actuator applied. */
  applied_actions: number[];
  /** Workers after each step's action. */
  worker_counts: number[];
  /** Window QoS (observation qos_rate) after each step. */
  qos_rates: number[];
  rewards: number[];
  /** Worker-queue length after each step. */
  queue_lengths: number[];
  avg_times: number[];
  max_times: number[];
  /** Observed arrival rate, tasks/s. */
  arrival_rates: number[];
  /** Seconds since the episode start at the end of each step. */
  times: number[];
  summary: EpisodeSummary;
}

export interface EpisodeSummary {
  steps: number;
  /** Tasks that met their deadline / tasks generated; unfinished tasks are misses. */
  qos_rate: number;
  /** Mean over steps of the observed window QoS (the original's mean_qos). */
  mean_qos: number;
  /** Time-weighted mean of the worker count over the episode (a count set inside a step counts from then on). */
  mean_workers: number;
  max_workers: number;
  worker_seconds: number;
  /** Times the policy decided: once per step, or at its own cadence under native actuation. */
  decisions: number;
  /** Decisions whose requested delta was non-zero. */
  scaling_actions: number;
  noop_actions: number;
  total_reward: number;
  mean_reward: number;
  p50_latency: number;
  p95_latency: number;
  tasks_generated: number;
  tasks_completed: number;
  tasks_met: number;
  tasks_unfinished: number;
  terminated: boolean;
  truncated: boolean;
}

/** A record with no steps yet: per-step arrays empty, `summary` as given (filled when the episode ends). */
export function emptyRecord(seed: number, steps: number, summary: EpisodeSummary): EpisodeRecord {
  return {
    seed,
    steps,
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
    summary,
  };
}

export interface MeanStd {
  mean: number;
  /** Population standard deviation (divide by n) over episodes, as the original reports. */
  std: number;
}

export type SummaryStats = Record<keyof EpisodeSummary, MeanStd>;

/** mean ± population std of every numeric summary field (booleans count as 0/1). */
export function summarize(records: readonly EpisodeRecord[]): SummaryStats {
  const out: Record<string, MeanStd> = {};
  const first = records[0]?.summary;
  if (!first) return out as SummaryStats;
  for (const key of Object.keys(first) as Array<keyof EpisodeSummary>) {
    const xs = records.map((r) => Number(r.summary[key]));
    out[key] = { mean: mean(xs), std: std(xs) };
  }
  return out as SummaryStats;
}
