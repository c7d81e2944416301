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
  /** The scenario the configuration came from (recorded in comparison.md and the log), or none. */
  scenario?: string;
  /** Ctrl-C: once aborted no further episode starts; the finished ones are kept (see CompareResult). */
  signal?: AbortSignal;
}

export interface CompareResult {
  dir: string;
  /** Null when interrupted before any agent finished all its episodes. */
  results: AggregatedResults | null;
  plots: string[];
  /** Ctrl-C stopped it: results hold the agents that finished, interrupted.json the rest. */
  interrupted: boolean;
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
    extra: {
      agents: [...factories.keys()],
      seeds,
      backend: config.backend,
      actuation: config.actuation,
      scenario: options.scenario ?? null,
    },
  });
  log(
    `compare-policies: ${factories.size} agents x ${seeds.length} episodes on ${config.backend}, ` +
      `scenario ${options.scenario ?? 'none (the configuration as is)'}, ` +
      `seeds ${seeds[0]}..${seeds.at(-1)}, arrivals ${config.workload.arrival_process}, ` +
      `actuation ${config.actuation}`,
  );

  const agents: Record<string, EpisodeRecord[]> = {};
  const stopped: Stopped = { agent: null, finished: [], notRun: [] };
  for (const [name, factory] of factories) {
    if (options.signal?.aborted) {
      if (stopped.agent === null) stopped.agent = name;
      else stopped.notRun.push(name);
      continue;
    }
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
      ...(options.signal ? { signal: options.signal } : {}),
    });
    progress.stop();
    if (records.length < seeds.length) {
      stopped.agent = name;
      stopped.finished = records;
      continue;
    }
    agents[name] = records;
    const qos = records.reduce((a, r) => a + r.summary.qos_rate, 0) / records.length;
    const workers = records.reduce((a, r) => a + r.summary.mean_workers, 0) / records.length;
    log(`${name}: QoS ${(qos * 100).toFixed(2)} %, mean workers ${workers.toFixed(2)}`);
  }
  const interrupted = stopped.agent !== null;
  const complete = Object.keys(agents).length > 0;
  const results = complete
    ? writeComparison(dir, agents, {
        seeds,
        episodes: seeds.length,
        backend: config.backend,
        actuation: config.actuation,
        arrival_process: config.workload.arrival_process,
        step_duration: config.episode.step_duration,
        max_steps: config.episode.max_steps,
        scenario: options.scenario ?? null,
        ...(interrupted ? { interrupted: true } : {}),
      })
    : null;
  const plots = results ? await renderPlots(results, dir.path) : [];
  if (interrupted) log(keptAfterInterrupt(dir, stopped, Object.keys(agents), seeds.length));
  else log(`wrote ${dir.file('aggregated_results.json')}, comparison.md and ${plots.length} plots`);
  dir.writeText('comparison.log', `${lines.join('\n')}\n${results ? `\n${comparisonMarkdown(results)}` : ''}`);
  dir.close();
  return { dir: dir.path, results, plots, interrupted };
}

/** Where Ctrl-C stopped: the agent it interrupted, that agent's finished episodes, the agents never started. */
interface Stopped {
  agent: string | null;
  finished: EpisodeRecord[];
  notRun: string[];
}

/** Writes interrupted.json (the interrupted agent's finished episodes) and says what was kept where. */
function keptAfterInterrupt(dir: RunDir, stopped: Stopped, complete: readonly string[], episodes: number): string {
  const agent = stopped.agent as string;
  const k = stopped.finished.length;
  dir.writeJson('interrupted.json', {
    interrupted_during: agent,
    finished_episodes: k,
    of: episodes,
    not_run: stopped.notRun,
    records: stopped.finished,
  });
  const kept =
    complete.length > 0 ? `${complete.join(', ')} (all ${episodes} episodes) in aggregated_results.json and comparison.md; ` : '';
  const notRun = stopped.notRun.length > 0 ? `; not run: ${stopped.notRun.join(', ')}` : '';
  return (
    `compare-policies: interrupted ${agent} after ${k} of ${episodes} episodes; kept ${kept}` +
    `${agent}'s ${k} finished episode(s) in ${dir.file('interrupted.json')}${notRun}`
  );
}

/** --plot-only: re-render the table and plots of an earlier run from its JSON alone. */
export async function replotComparison(inputDir: string, out?: string): Promise<CompareResult> {
  const results = readAggregatedResults(inputDir);
  const dir = createRunDir({ prefix: 'compare', out: out ?? inputDir });
  dir.writeText('comparison.md', comparisonMarkdown(results));
  const plots = await renderPlots(results, dir.path);
  dir.close();
  return { dir: dir.path, results, plots, interrupted: false };
}
