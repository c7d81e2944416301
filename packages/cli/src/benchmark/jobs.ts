/**
 * One unit of benchmark work: one agent on one scenario over the held-out seeds. The same
 * function runs in a worker thread and in-process (--jobs 1), so parallel and serial runs
 * compute the very same records.
 */
import { loadScenario, type ConfigOverride } from '@autofarm/core';
import { createEnv, evaluate, type EpisodeRecord } from '@autofarm/env';
import { resolvePolicies, type PolicySources } from '../policies.js';

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

/** Runs one job; once `signal` is aborted no further episode starts and the finished ones are returned. */
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
