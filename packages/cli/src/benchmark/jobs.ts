/**
 * One unit of benchmark work: one agent on one scenario over the held-out seeds. The same
 * function runs in a worker thread and in-process (--jobs 1), so parallel and serial runs
 * compute the very same records.
 */
import { loadScenario, type ConfigOverride } from '@autofarm/core';
import { createEnv, evaluate, type EpisodeRecord } from '@autofarm/env';
import { resolvePolicies, type PolicySources } from '../policies.js';
import { runTuneJob, type TuneJob } from '../tune/jobs.js';

export interface BenchmarkJob {
  /** Index into the job list: results are assembled by it, never by finishing order. */
  id: number;
  /** Base configuration file. */
  config: string;
  /** Scenario file. */
  scenario: string;
  overrides: ConfigOverride[];
  /** Agent name as given on the command line. */
  agent: string;
  seeds: number[];
  sources: PolicySources;
}

/** Anything the pool runs: a benchmark job or a tune job (tune/jobs.ts), told apart by `kind`. */
export type PoolJob = BenchmarkJob | TuneJob;

/**
 * Runs either kind of job; the worker thread and the in-process path both call this. Once
 * `signal` is aborted (Ctrl-C) a benchmark job starts no further episode and returns the
 * finished ones.
 */
export async function runPoolJob(job: PoolJob, onEpisode?: () => void, signal?: AbortSignal): Promise<unknown[]> {
  return 'kind' in job ? runTuneJob(job, onEpisode) : runJob(job, onEpisode, signal);
}

export async function runJob(job: BenchmarkJob, onEpisode?: () => void, signal?: AbortSignal): Promise<EpisodeRecord[]> {
  const { config } = loadScenario(job.scenario, { base: job.config, overrides: job.overrides });
  const factories = await resolvePolicies([job.agent], config, job.sources);
  const factory = [...factories.values()][0];
  if (!factory) throw new Error(`benchmark: no policy for ${job.agent}`);
  return evaluate(factory(), () => createEnv(config), job.seeds, {
    config,
    ...(onEpisode ? { onEpisode: () => onEpisode() } : {}),
    ...(signal ? { signal } : {}),
  });
}
