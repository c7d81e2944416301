/**
 * One unit of tuning work: one rule at one setting of its knobs on the validation workloads. An
 * episode's workload and farm come from the general domain (the agents' randomEpisodeConfig, drawn
 * from the seed alone), run like a benchmark scenario: the configuration's step duration (8 s),
 * native actuation, on the simulator. The knobs are applied to each episode's configuration, so
 * a share of max_workers (static) follows each farm's size.
 */
import { loadConfig, type Config } from '@autofarm/core';
import { randomEpisodeConfig } from '@autofarm/agents';
import { createBaseline, tunableRule } from '@autofarm/baselines';
import { createEnv, evaluate } from '@autofarm/env';

export interface TuneJob {
  kind: 'tune';
  id: number;
  /** Base configuration file. */
  config: string;
  /** Canonical rule name (a registry entry). */
  rule: string;
  values: Record<string, number>;
  /** Validation seeds (env's validationSeeds). */
  seeds: number[];
  missPrice: number;
}

/** What tuning keeps of an episode. */
export interface TuneEpisode {
  seed: number;
  qos_rate: number;
  worker_seconds: number;
  /** Tasks that missed their deadline, unfinished ones included. */
  misses: number;
  /** worker_seconds + missPrice x misses: the agents' price. */
  cost: number;
}

/** Seconds after the last arrival an episode runs on to drain (as the general domain's 80 s). */
const DRAIN_ALLOWANCE = 80;

/** The validation workload of `seed` at the configuration's step duration, as a benchmark scenario runs. */
export function validationEpisodeConfig(config: Config, seed: number): Config {
  const drawn = randomEpisodeConfig(config, seed);
  const arrivals = drawn.workload.phases.reduce((s, p) => s + p.duration, 0);
  const step = config.episode.step_duration;
  return { ...drawn, episode: { ...config.episode, max_steps: Math.ceil((arrivals + DRAIN_ALLOWANCE) / step) } };
}

export async function runTuneJob(job: TuneJob, onEpisode?: () => void): Promise<TuneEpisode[]> {
  const base = loadConfig(job.config);
  const rule = tunableRule(job.rule);
  if (!rule) throw new Error(`tune: ${job.rule} has no knobs in the tuning registry`);
  const out: TuneEpisode[] = [];
  for (const seed of job.seeds) {
    const episode = validationEpisodeConfig(base, seed);
    const policy = createBaseline(job.rule, rule.apply(episode, job.values));
    const [record] = await evaluate(policy, () => createEnv(episode, { backend: 'sim' }), [seed], { config: episode, actuation: 'native' });
    if (!record) throw new Error(`tune: no record for seed ${seed}`);
    const s = record.summary;
    const misses = s.tasks_generated - s.tasks_met;
    out.push({ seed, qos_rate: s.qos_rate, worker_seconds: s.worker_seconds, misses, cost: s.worker_seconds + job.missPrice * misses });
    onEpisode?.();
  }
  return out;
}
