/**
 * Evaluation: roll a policy out on an env for given seeds and record every episode in the
 * output contract of records.ts. The same function serves compare-policies, the test-*
 * commands and checkpoint evaluation during training.
 */
import { quantile, type Config, type Env, type Policy, type StepInfo, type WorkloadSchedule } from '@autofarm/core';
import { episodePlan, scheduleOf } from '@autofarm/workload';
import type { EpisodeRecord } from './records.js';

export interface RunEpisodeOptions {
  seed: number;
  /** Needed for clairvoyant policies (the oracle); built from the config when omitted. */
  config?: Config;
  onStep?: (info: StepInfo, reward: number) => void;
}

/** The workload schedule of the episode with this seed (what the oracle may read). */
export function scheduleFor(config: Config, seed: number): WorkloadSchedule {
  return scheduleOf(episodePlan(config.workload, seed));
}

export async function runEpisode(env: Env, policy: Policy, options: RunEpisodeOptions): Promise<EpisodeRecord> {
  const cfg = options.config ?? (env as { config?: Config }).config;
  if (policy.clairvoyant && !cfg) throw new Error(`${policy.name} needs the workload schedule: pass config to runEpisode`);
  const schedule = policy.clairvoyant && cfg ? scheduleFor(cfg, options.seed) : undefined;
  const stepDuration = cfg?.episode.step_duration ?? 8;
  const scaling = cfg?.scaling ?? { min_workers: 1, max_workers: 32 };
  policy.reset();
  let { observation, info } = await env.reset({ seed: options.seed });
  const rec: EpisodeRecord = {
    seed: options.seed,
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
  const latencies: number[] = [];
  let collected = info.metrics.collectedTotal;
  let terminated = false;
  let truncated = false;
  let last = info;
  while (!terminated && !truncated) {
    const action = policy.act(observation, {
      info,
      stepDuration,
      maxDelta: env.actionSpace.maxDelta,
      minWorkers: scaling.min_workers,
      maxWorkers: scaling.max_workers,
      ...(schedule ? { schedule } : {}),
    });
    const r = await env.step(action);
    ({ observation, info, terminated, truncated } = r);
    last = info;
    rec.actions.push(action);
    rec.applied_actions.push(info.appliedDelta);
    rec.worker_counts.push(info.workers);
    rec.qos_rates.push(info.qosRate);
    rec.rewards.push(r.reward);
    rec.queue_lengths.push(observation[1] as number);
    rec.avg_times.push(observation[5] as number);
    rec.max_times.push(observation[6] as number);
    rec.arrival_rates.push(observation[7] as number);
    rec.times.push(info.time);
    // Tasks collected during this step are the newest ones of the window (window ≥ step, the
    // default being equal; a shorter window would leave some out of the percentiles).
    const fresh = Math.min(info.metrics.window.length, info.metrics.collectedTotal - collected);
    collected = info.metrics.collectedTotal;
    for (const t of info.metrics.window.slice(info.metrics.window.length - fresh)) latencies.push(t.latency);
    options.onStep?.(info, r.reward);
  }
  const m = last.metrics;
  const steps = rec.actions.length;
  const total = rec.rewards.reduce((a, b) => a + b, 0);
  rec.steps = steps;
  rec.summary = {
    steps,
    qos_rate: last.episodeFinalQos ?? (m.tasksPlanned > 0 ? m.metTotal / m.tasksPlanned : 1),
    mean_qos: steps > 0 ? rec.qos_rates.reduce((a, b) => a + b, 0) / steps : 1,
    mean_workers: steps > 0 ? rec.worker_counts.reduce((a, b) => a + b, 0) / steps : info.workers,
    max_workers: steps > 0 ? Math.max(...rec.worker_counts) : info.workers,
    worker_seconds: m.workerSeconds,
    scaling_actions: rec.actions.filter((a) => a !== 0).length,
    noop_actions: rec.actions.filter((a) => a === 0).length,
    total_reward: total,
    mean_reward: steps > 0 ? total / steps : 0,
    p50_latency: quantile(latencies, 0.5),
    p95_latency: quantile(latencies, 0.95),
    tasks_generated: m.enqueuedTotal,
    tasks_completed: m.collectedTotal,
    tasks_met: m.metTotal,
    tasks_unfinished: Math.max(0, m.tasksPlanned - m.collectedTotal),
    terminated,
    truncated,
  };
  return rec;
}

export interface EvaluateOptions {
  config?: Config;
  onEpisode?: (record: EpisodeRecord, index: number) => void;
}

/** Evaluate `policy` on each seed with a fresh env from `makeEnv` (closed afterwards). */
export async function evaluate(policy: Policy, makeEnv: () => Env | Promise<Env>, seeds: readonly number[], options: EvaluateOptions = {}): Promise<EpisodeRecord[]> {
  const env = await makeEnv();
  const records: EpisodeRecord[] = [];
  try {
    for (const [i, seed] of seeds.entries()) {
      const record = await runEpisode(env, policy, { seed, ...(options.config ? { config: options.config } : {}) });
      records.push(record);
      options.onEpisode?.(record, i);
    }
  } finally {
    await env.close();
  }
  return records;
}
