/**
 * Domain randomisation: the workload and farm of one general training episode, drawn from the
 * episode seed alone (stream "general/domain", so the env's own streams never shift). Every
 * axis the issue names varies: phase count, order, lengths, levels, patterns (steady,
 * oscillation, spike, ramp), spikes, task-time mean, farm size (4-128 workers), arrival process,
 * and whether the phases recur as days (workload.repeat: days, level and timing jitter), which
 * is what the agents' forecast features learn from.
 *
 * Sizing keeps every workload servable: the peak rate × mean task time is `peak_utilisation`
 * (35-80 %) of max_workers, so a policy that scales in time can always meet the deadlines.
 * Example: scale 2 -> 64 workers; task mean 1.0 s; peak utilisation 0.6 -> peak 38.4 tasks/s;
 * a phase at level 0.5 then runs at 19.2 tasks/s. A recurring episode divides the peak by the
 * largest day level (1 + level_jitter), so its busiest day stays within the same utilisation.
 * Training seeds come from env's trainingSeeds (base + i); validation during training uses
 * validationSeeds (base + 2 000 000 + i), and the benchmark's held-out seeds (base + 1 000 000 + i)
 * are never drawn here.
 */
import { createRng, type Config, type DomainConfig, type Phase, type Rng } from '@autofarm/core';

const PATTERNS = ['steady', 'oscillation', 'spike', 'ramp'] as const;

const uniform = (rng: Rng, [lo, hi]: readonly [number, number]) => lo + (hi - lo) * rng.float();
const logUniform = (rng: Rng, [lo, hi]: readonly [number, number]) =>
  Math.exp(uniform(rng, [Math.log(Math.max(1e-9, lo)), Math.log(Math.max(1e-9, hi))]));
const round2 = (x: number) => Math.round(x * 100) / 100;

function randomPhase(rng: Rng, d: DomainConfig, index: number): Phase {
  const pattern = PATTERNS[rng.int(0, PATTERNS.length - 1)] as (typeof PATTERNS)[number];
  const duration = Math.round(uniform(rng, d.phase_duration) / 5) * 5;
  const level = round2(uniform(rng, d.multiplier));
  const name = `random ${index + 1} (${pattern})`;
  switch (pattern) {
    case 'steady':
      return { name, pattern, multiplier: level, duration };
    case 'oscillation': {
      const amp = level * uniform(rng, [0.2, 0.8]);
      return {
        name,
        pattern,
        multiplier: level,
        duration,
        oscillation: { min: round2(level - amp), max: round2(level + amp), cycles: rng.int(1, 4) },
      };
    }
    case 'spike': {
      const width = round2(uniform(rng, [0.1, 0.4]));
      const at = round2(uniform(rng, [0, 1 - width]));
      return { name, pattern, multiplier: level, duration, spike: { at, width, height: round2(level * uniform(rng, d.spike_height)) } };
    }
    case 'ramp':
      return { name, pattern, multiplier: level, duration, ramp: { from: level, to: round2(uniform(rng, d.multiplier)) } };
  }
}

/** One-shot (times 1) or, for recurring_share of the episodes, days with a jittered level and timing. */
function randomRepeat(rng: Rng, d: DomainConfig): Config['workload']['repeat'] {
  // drawn in full every episode, so the draws after it do not depend on the outcome
  const recurring = rng.float() < d.recurring_share;
  const times = rng.int(Math.round(d.days[0]), Math.round(d.days[1]));
  const level = round2(uniform(rng, d.level_jitter));
  const time = round2(uniform(rng, d.time_jitter));
  return recurring ? { times, level_jitter: level, time_jitter: time } : { times: 1, level_jitter: 0, time_jitter: 0 };
}

function peakOf(p: Phase): number {
  if (p.pattern === 'oscillation' && p.oscillation) return p.oscillation.max;
  if (p.pattern === 'spike' && p.spike) return Math.max(p.multiplier, p.spike.height);
  if (p.pattern === 'ramp' && p.ramp) return Math.max(p.ramp.from, p.ramp.to);
  return p.multiplier;
}

/** The configuration of the general training episode with this seed: `config` with workload, tasks, scaling and episode drawn. */
export function randomEpisodeConfig(config: Config, seed: number): Config {
  const d = config.general.domain;
  const rng = createRng(seed).stream('general/domain');
  const phases = Array.from({ length: rng.int(Math.round(d.phases[0]), Math.round(d.phases[1])) }, (_, i) => randomPhase(rng, d, i));
  const taskMean = round2(logUniform(rng, d.task_time_mean));
  const maxWorkers = Math.max(4, Math.round(32 * logUniform(rng, d.farm_scale)));
  const peakUtil = uniform(rng, d.peak_utilisation);
  const repeat = randomRepeat(rng, d);
  const peak = Math.max(0.05, ...phases.map(peakOf));
  // tasks/min such that the peak multiplier keeps peakUtil of max_workers busy
  const baseRate = round2((60 * peakUtil * maxWorkers) / taskMean / peak / (1 + repeat.level_jitter));
  const initial = Math.max(1, Math.round(maxWorkers * uniform(rng, [0.1, 0.6])));
  const controlled = rng.float() < d.controlled_share;
  const { a, b } = config.calibrated_model;
  // images large enough that a 4x-mean task is not clipped (the default 4096 px caps tasks at ~2.9 s)
  const maxSize = Math.max(config.tasks.image_size.max, Math.ceil(Math.sqrt(Math.max(0, 4 * taskMean - b) / a)));
  const duration = repeat.times * phases.reduce((s, p) => s + p.duration, 0);
  return {
    ...config,
    workload: {
      ...config.workload,
      base_rate: baseRate,
      arrival_process: controlled ? 'controlled' : 'nhpp',
      phase_shuffle: false,
      phase_shuffle_seed: null,
      phases,
      repeat,
    },
    tasks: {
      ...config.tasks,
      processing_time: { ...config.tasks.processing_time, mean: taskMean },
      image_size: { ...config.tasks.image_size, max: maxSize },
    },
    scaling: { ...config.scaling, min_workers: 1, max_workers: maxWorkers, initial_workers: initial },
    episode: cadenceEpisode(config, duration),
  };
}

/** Seconds after the last arrival an episode may run on to drain (the canonical 320 s episode leaves 80 s after 240 s). */
const DRAIN_ALLOWANCE = 80;

/** The episode block of a general training episode: one step per decision (general.cadence), room to drain. */
function cadenceEpisode(config: Config, arrivalsSeconds: number): Config['episode'] {
  const step = config.general.cadence;
  return { ...config.episode, step_duration: step, max_steps: Math.ceil((arrivalsSeconds + DRAIN_ALLOWANCE) / step) };
}

/** `config` as a general training episode runs it without randomisation: its workload, one step per decision. */
export function atCadence(config: Config): Config {
  const arrivals = config.workload.repeat.times * config.workload.phases.reduce((s, p) => s + p.duration, 0);
  return { ...config, episode: cadenceEpisode(config, arrivals) };
}
