/**
 * The service-time profile the queueing baselines size with: E[S], c_s² and the Laplace
 * transform of the per-task deadline slack, for the farm's REAL task distribution (reference
 * §4.4): a gamma draw, clipped to [t(min size), t(max size)], mapped to an integer image size and
 * back through the calibrated model; deadline = clamp(coefficient × S, floor, cap).
 * With the shipped settings: E[S] ≈ 1.47 s, c_s² ≈ 0.21 (vs 0.25 unclipped), 5 % of tasks at
 * t_max = 2.87 s.
 *
 * Computed once per policy from a fixed-seed Monte-Carlo sample (core's createRng, so the same
 * configuration always gives the same profile). The Laplace transform is a quadrature over 512
 * mid-quantiles of the slack, cheap enough to evaluate thousands of times per decision.
 */
import { createRng, deadlineFor, sampleProcessingTime, type Config } from '@autofarm/core';
import type { ServiceProfile } from './queueing-math.js';

/** Fixed so every run of a configuration sizes with the same profile. */
const PROFILE_SEED = 20_240_601;
const SAMPLES = 40_000;
const QUANTILES = 512;

/**
 * Seconds a task spends outside the queue and the worker: the dispatch and collect hops plus, for
 * polling workers and collector, half a poll interval each.
 */
export function hopLatency(sim: Config['sim']): number {
  return sim.dispatch_latency + sim.collect_latency + sim.poll_interval;
}

export function serviceProfile(config: Pick<Config, 'tasks' | 'calibrated_model' | 'sim'>, samples = SAMPLES): ServiceProfile {
  const rng = createRng(PROFILE_SEED).stream('service-profile');
  const hops = hopLatency(config.sim);
  const times: number[] = [];
  const slacks: number[] = [];
  for (let i = 0; i < samples; i++) {
    const s = sampleProcessingTime(rng, config.tasks, config.calibrated_model).processingTime;
    times.push(s);
    slacks.push(deadlineFor(config.tasks, s) - s - hops);
  }
  let sum = 0;
  let sq = 0;
  for (const t of times) {
    sum += t;
    sq += t * t;
  }
  const mean = sum / samples;
  const variance = Math.max(0, sq / samples - mean * mean);
  slacks.sort((x, y) => x - y);
  const nodes: number[] = [];
  for (let i = 0; i < QUANTILES; i++) nodes.push(slacks[Math.floor(((i + 0.5) * samples) / QUANTILES)] as number);
  const missFloor = slacks.filter((s) => s < 0).length / samples;
  return {
    mean,
    scv: variance / (mean * mean),
    missFloor,
    slackLaplace(theta: number): number {
      let acc = 0;
      for (const s of nodes) if (s >= 0) acc += Math.exp(-theta * s);
      return acc / QUANTILES;
    },
  };
}
