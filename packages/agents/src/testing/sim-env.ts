/**
 * The simulator for agents' tests, through a dynamic import of the env package's dist: agents
 * does not depend on env (the architecture's direction), but some of its tests run episodes.
 */
import type { Config, Env, Policy } from '@autofarm/core';

/** The part of an episode summary the tests read (env's EpisodeSummary). */
export interface SimSummary {
  steps: number;
  decisions: number;
  qos_rate: number;
  mean_workers: number;
}

interface EnvPackage {
  createEnv(config: Config): Promise<Env>;
  evaluate(policy: Policy, make: () => Promise<Env>, seeds: number[], o: { config: Config }): Promise<Array<{ summary: SimSummary }>>;
}

const envPackage = () => import('@autofarm/env' as string) as Promise<EnvPackage>;

/** A simulator env for `config` (the sim backend is the configuration default). */
export async function simEnv(config: Config): Promise<Env> {
  return (await envPackage()).createEnv(config);
}

/** One evaluated episode of `policy` on the simulator (seed `seed`), as env's evaluate runs it. */
export async function evaluateOnSim(policy: Policy, config: Config, seed: number): Promise<SimSummary> {
  const env = await envPackage();
  const [record] = await env.evaluate(policy, () => env.createEnv(config), [seed], { config });
  if (!record) throw new Error('evaluateOnSim: no episode record');
  return record.summary;
}
