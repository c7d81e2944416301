/**
 * Synthetic, seeded episode records and training histories for tests and figure previews: shaped like a real episode
 * (a workload that ramps 2 -> 9 tasks/s and back, a policy that follows it one worker per step,
 * QoS that dips while the farm is short of workers), NOT produced by the simulator.
 * Same (seed, options) -> identical record.
 */
import { createRng, mean, quantile } from '@autofarm/core';
import { emptyRecord, type EpisodeRecord } from '@autofarm/env';
import type { EvaluationCheckpoint, TrainingEpisode } from '../training-metrics.js';

export interface SyntheticOptions {
  steps?: number;
  initialWorkers?: number;
  /** Extra workers the policy keeps above the need; more slack, more QoS. Default 1. */
  slack?: number;
  stepDuration?: number;
}

export function syntheticRecord(seed: number, options: SyntheticOptions = {}): EpisodeRecord {
  const rng = createRng(seed).stream('synthetic-record');
  const steps = options.steps ?? 30;
  const dt = options.stepDuration ?? 8;
  const slack = options.slack ?? 1;
  let workers = options.initialWorkers ?? 12;
  let queue = 0;
  const r: EpisodeRecord = emptyRecord(seed, steps, {
    steps,
    qos_rate: 0,
    mean_qos: 0,
    mean_workers: 0,
    max_workers: 0,
    worker_seconds: 0,
    decisions: 0,
    scaling_actions: 0,
    noop_actions: 0,
    total_reward: 0,
    mean_reward: 0,
    p50_latency: 0,
    p95_latency: 0,
    tasks_generated: 0,
    tasks_completed: 0,
    tasks_met: 0,
    tasks_unfinished: 0,
    terminated: true,
    truncated: false,
  });
  for (let i = 0; i < steps; i++) {
    // 2 tasks/s rising to 9 mid-episode and back down, ±10 % noise; each worker serves ~0.7 tasks/s.
    const rate = (2 + 7 * Math.sin((Math.PI * i) / Math.max(1, steps - 1))) * (0.9 + 0.2 * rng.float());
    const need = Math.ceil(rate / 0.7) + slack;
    const action = need > workers ? 1 : need < workers - 1 ? -1 : 0;
    const applied = Math.max(1, Math.min(32, workers + action)) - workers;
    workers += applied;
    queue = Math.max(0, queue + (rate - workers * 0.7) * dt);
    const qos = Math.max(0, Math.min(1, 1 - queue / (rate * dt * 3) - 0.03 * rng.float()));
    const avg = 0.72 + 0.1 * rng.float() + queue / Math.max(1, workers * 0.7 * 10);
    r.actions.push(action);
    r.applied_actions.push(applied);
    r.worker_counts.push(workers);
    r.qos_rates.push(qos);
    r.rewards.push(qos * 2 - workers / 16);
    r.queue_lengths.push(Math.round(queue));
    r.avg_times.push(avg);
    r.max_times.push(avg * (1.6 + 0.4 * rng.float()));
    r.arrival_rates.push(rate);
    r.times.push((i + 1) * dt);
  }
  const s = r.summary;
  s.mean_qos = mean(r.qos_rates);
  s.qos_rate = s.mean_qos;
  s.mean_workers = mean(r.worker_counts);
  s.max_workers = Math.max(...r.worker_counts);
  s.worker_seconds = s.mean_workers * steps * dt;
  s.scaling_actions = r.actions.filter((a) => a !== 0).length;
  s.noop_actions = steps - s.scaling_actions;
  s.decisions = steps;
  s.total_reward = r.rewards.reduce((a, b) => a + b, 0);
  s.mean_reward = s.total_reward / steps;
  s.p50_latency = quantile(r.avg_times, 0.5);
  s.p95_latency = quantile(r.max_times, 0.95);
  s.tasks_generated = Math.round(r.arrival_rates.reduce((a, b) => a + b, 0) * dt);
  s.tasks_met = Math.round(s.tasks_generated * s.qos_rate);
  s.tasks_completed = s.tasks_generated;
  return r;
}

/**
 * A learning-shaped training history: reward and QoS rise and workers fall towards a plateau
 * with seeded noise, epsilon decays 0.98 per episode to 0.05; `loss` adds a DQN-style mean_loss.
 */
export function syntheticTraining(seed: number, episodes: number, options: { loss?: boolean } = {}): TrainingEpisode[] {
  const rng = createRng(seed).stream('synthetic-training');
  return Array.from({ length: episodes }, (_, i) => {
    const progress = 1 - Math.exp(-i / Math.max(1, episodes / 4));
    const noise = () => rng.float() * 2 - 1;
    const e: TrainingEpisode = {
      episode: i + 1,
      steps: 30,
      total_reward: -20 + 15 * progress + 3 * noise(),
      mean_qos: 0.7 + 0.25 * progress,
      final_qos: Math.min(1, 0.7 + 0.29 * progress + 0.03 * noise()),
      processed_tasks: 900 + Math.round(50 * noise()),
      epsilon: Math.max(0.05, 0.98 ** (i + 1)),
      scale_up_count: 8,
      scale_down_count: 7,
      noop_count: 15,
      max_workers: 18,
      mean_workers: 16 - 3 * progress + 0.5 * noise(),
      qos_violations: Math.round(100 * (1 - progress)),
      unfinished_tasks: 0,
    };
    if (options.loss) e.mean_loss = 2 * Math.exp(-i / 30) + 0.1 + 0.05 * rng.float();
    return e;
  });
}

/** Checkpoint evaluations every `every` episodes of a `syntheticTraining` history. */
export function syntheticEvaluation(training: readonly TrainingEpisode[], every: number): EvaluationCheckpoint[] {
  return training
    .filter((e) => e.episode % every === 0)
    .map((e) => ({
      episode: e.episode,
      mean_total_reward: e.total_reward + 1,
      std_total_reward: 1.5,
      mean_mean_reward: e.total_reward / 30,
      std_mean_reward: 0.05,
      mean_final_qos: Math.min(1, e.final_qos + 0.01),
      std_final_qos: 0.015,
      mean_mean_qos: e.mean_qos,
      std_mean_qos: 0.02,
      mean_scaling_actions: 15,
      std_scaling_actions: 2,
      mean_noop_actions: 15,
      std_noop_actions: 2,
      mean_max_workers: 17,
      std_max_workers: 1,
      mean_mean_workers: e.mean_workers - 0.3,
      std_mean_workers: 0.4,
      eval_episodes: 5,
    }));
}
