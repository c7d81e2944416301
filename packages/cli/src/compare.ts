/**
 * compare-policies as a library function: every agent on the SAME held-out evaluation seeds
 * (paired comparison), one run directory with aggregated_results.json, comparison.md,
 * comparison.log and the PNG plots.
 */
import type { Config } from '@autofarm/core';
import { createEnv, evaluate, evaluationSeeds, type EpisodeRecord } from '@autofarm/env';
import {
  createProgress,
  createRunDir,
  readAggregatedResults,
  writeComparison,
  writeRunMetadata,
  comparisonMarkdown,
  type AggregatedResults,
  type RunDir,
} from '@autofarm/runs';
import { resolvePolicies, type PolicySources } from './policies.js';

export interface CompareOptions {
  config: Config;
  agents: readonly string[];
  episodes: number;
  /** Evaluation seeds are evaluationSeeds(seed, episodes): disjoint from training seeds. */
  seed: number;
  sources?: PolicySources;
  /** Run directory (default runs/compare_<UTC timestamp>). */
  out?: string;
  /** An earlier run whose records are reused for agents evaluated on the same seeds. */
  baselineCache?: string;
  /** Messages for the user (also written to comparison.log). */
  log?: (line: string) => void;
}

export interface CompareResult {
  dir: string;
  results: AggregatedResults;
  plots: string[];
}

async function renderPlots(results: AggregatedResults, dir: string): Promise<string[]> {
  const { plotComparison, plotQosVsWorkers } = await import('@autofarm/runs/plots');
  const agents = Object.fromEntries(Object.entries(results.agents).map(([name, a]) => [name, a.records]));
  return [plotComparison(agents, dir), plotQosVsWorkers(agents, dir)];
}

function sameSeeds(records: readonly EpisodeRecord[], seeds: readonly number[]): boolean {
  return records.length === seeds.length && records.every((r, i) => r.seed === seeds[i]);
}

export async function comparePolicies(options: CompareOptions): Promise<CompareResult> {
  const { config } = options;
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  // Resolve every agent (and read the cache) before the first episode runs.
  const factories = await resolvePolicies(options.agents, config, options.sources ?? {});
  let cache = options.baselineCache ? readAggregatedResults(options.baselineCache) : null;
  // Files written before actuation existed were all one decision of ±max_delta per step.
  const cachedActuation = cache?.meta.actuation ?? 'step';
  if (cache && cachedActuation !== config.actuation) {
    log(`${options.baselineCache} was recorded at actuation ${String(cachedActuation)}, this run is ${config.actuation}: not reused`);
    cache = null;
  }
  const seeds = evaluationSeeds(options.seed, options.episodes);
  const dir: RunDir = createRunDir({ prefix: 'compare', ...(options.out ? { out: options.out } : {}) });
  writeRunMetadata(dir, {
    command: 'compare-policies',
    config,
    seed: options.seed,
    extra: { agents: [...factories.keys()], seeds, backend: config.backend, actuation: config.actuation },
  });
  log(
    `compare-policies: ${factories.size} agents x ${seeds.length} episodes on ${config.backend}, ` +
      `seeds ${seeds[0]}..${seeds.at(-1)}, arrivals ${config.workload.arrival_process}, ` +
      `actuation ${config.actuation}`,
  );

  const agents: Record<string, EpisodeRecord[]> = {};
  for (const [name, factory] of factories) {
    const cached = cache?.agents[name]?.records;
    if (cached && sameSeeds(cached, seeds)) {
      agents[name] = cached;
      log(`${name}: reused ${cached.length} episodes from ${options.baselineCache}`);
      continue;
    }
    if (cached) log(`${name}: cache has other seeds or episode count (${cached.length} episodes); evaluating again`);
    const progress = createProgress({ total: seeds.length, label: name });
    const records = await evaluate(factory(), () => createEnv(config), seeds, {
      config,
      onEpisode: (r, i) =>
        progress.update(i + 1, { qos: `${(r.summary.qos_rate * 100).toFixed(1)}%`, workers: r.summary.mean_workers.toFixed(1) }),
    });
    progress.stop();
    agents[name] = records;
    const qos = records.reduce((a, r) => a + r.summary.qos_rate, 0) / records.length;
    const workers = records.reduce((a, r) => a + r.summary.mean_workers, 0) / records.length;
    log(`${name}: QoS ${(qos * 100).toFixed(2)} %, mean workers ${workers.toFixed(2)}`);
  }
  const results = writeComparison(dir, agents, {
    seeds,
    episodes: seeds.length,
    backend: config.backend,
    actuation: config.actuation,
    arrival_process: config.workload.arrival_process,
    step_duration: config.episode.step_duration,
    max_steps: config.episode.max_steps,
  });
  const plots = await renderPlots(results, dir.path);
  log(`wrote ${dir.file('aggregated_results.json')}, comparison.md and ${plots.length} plots`);
  dir.writeText('comparison.log', `${lines.join('\n')}\n\n${comparisonMarkdown(results)}`);
  dir.close();
  return { dir: dir.path, results, plots };
}

/** --plot-only: re-render the table and plots of an earlier run from its JSON alone. */
export async function replotComparison(inputDir: string, out?: string): Promise<CompareResult> {
  const results = readAggregatedResults(inputDir);
  const dir = createRunDir({ prefix: 'compare', out: out ?? inputDir });
  dir.writeText('comparison.md', comparisonMarkdown(results));
  const plots = await renderPlots(results, dir.path);
  dir.close();
  return { dir: dir.path, results, plots };
}
