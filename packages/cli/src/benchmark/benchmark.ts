/**
 * `autofarm benchmark` as a library function: every agent on every scenario, on the same
 * held-out seeds, in parallel; one run directory with scoreboard.json, scoreboard.md,
 * benchmark.log and the figures. The scoreboard depends only on (scenarios, agents, seeds,
 * actuation), never on --jobs or timing: jobs are assembled in a fixed order and the bootstrap
 * draws from seeded streams.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  ConfigError,
  listScenarios,
  loadScenario,
  mean,
  scenariosDirFor,
  UsageError,
  type Config,
  type ConfigOverride,
} from '@autofarm/core';
import { episodeFit, episodeFitMessage, expectedTaskCount } from '@autofarm/workload';
import { evaluationSeeds, type EpisodeRecord } from '@autofarm/env';
import { BENCHMARK_BASELINES, sweepAgentName, TUNABLE_RULES, tunedAgentNames } from '@autofarm/baselines';
import {
  buildScoreboard,
  createProgress,
  createRunDir,
  readScoreboard,
  scoreboardMarkdown,
  writeRunMetadata,
  writeScoreboard,
  type Scoreboard,
  type ScenarioRecords,
  type SweepPoint,
} from '@autofarm/runs';
import { resolvePolicies, type PolicySources } from '../policies.js';
import { keepInterrupted } from './interrupted.js';
import type { BenchmarkJob } from './jobs.js';
import { runPool } from './pool.js';
import { splitFirstDay, suiteDir, suiteMarkdown, suiteRows, type Suite } from './suite.js';

/** Every deployable baseline plus the two yardsticks (replay needs a recording, so it is left out). */
export const DEFAULT_BENCHMARK_AGENTS: readonly string[] = BENCHMARK_BASELINES;

/**
 * The default agents with each tuned rule right after its platform-default row (`kpa`,
 * `kpa-tuned`, ...): a rule is compared with the learners calibrated, not only at its default.
 */
export function defaultAgents(config: Config): string[] {
  const tuned = new Set(tunedAgentNames(config));
  return DEFAULT_BENCHMARK_AGENTS.flatMap((name) => (tuned.has(`${name}-tuned`) ? [name, `${name}-tuned`] : [name]));
}

/**
 * Learned models the repository ships, benchmarked (and compared) by default when present:
 * models/sarsa.json and models/dqn/, the default general models (`pnpm train-sarsa` /
 * `pnpm train-dqn` with configuration.yml; models/README.md says how they were made).
 */
export function shippedModels(root: string): { agents: string[]; sources: PolicySources } {
  const sarsa = join(root, 'models', 'sarsa.json');
  const dqn = join(root, 'models', 'dqn');
  return {
    agents: [...(existsSync(sarsa) ? ['sarsa'] : []), ...(existsSync(dqn) ? ['dqn'] : [])],
    sources: { ...(existsSync(sarsa) ? { model: sarsa } : {}), ...(existsSync(dqn) ? { dqnModel: dqn } : {}) },
  };
}

export interface BenchmarkOptions {
  /** Base configuration file; scenarios/ next to it holds the named scenarios. */
  config: string;
  /** Scenario names or files (default: every scenario of the suite). */
  scenarios?: readonly string[];
  /** one-shot (scenarios/*.yml, the default) or recurring (scenarios/recurring/*.yml, scored from day 2). */
  suite?: Suite;
  /** Default DEFAULT_BENCHMARK_AGENTS plus shipped models. */
  agents?: readonly string[];
  episodes: number;
  /** Worker threads (default: the machine's cores). */
  jobs?: number;
  /** Overrides applied to every scenario (seed, actuation, backend). */
  overrides?: readonly ConfigOverride[];
  sources?: PolicySources;
  out?: string;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  log?: (line: string) => void;
  /** Also run every tuning setting of every rule on the first `sweep` seeds (the Pareto plot's curves). */
  sweep?: number;
  /** Progress bar mode (default auto: a bar on a terminal). */
  progress?: 'auto' | 'quiet';
  /** Ctrl-C: no episode starts after it; the finished ones are kept (interrupted.ts). */
  signal?: AbortSignal;
  /** Called after every finished episode (the progress bar's tick). */
  onEpisode?: () => void;
}

export interface BenchmarkResult {
  dir: string;
  /** Null when interrupted before any scenario was complete. */
  board: Scoreboard | null;
  plots: string[];
  seconds: number;
  interrupted: boolean;
}

async function renderPlots(board: Scoreboard, dir: string): Promise<string[]> {
  const { plotBenchmarkScatter, plotRegretHeatmap, plotPareto } = await import('@autofarm/runs/plots');
  return [plotBenchmarkScatter(board, dir), plotRegretHeatmap(board, dir), plotPareto(board, dir)];
}

/** Per scenario and rule, each sweep setting's means (sweep jobs follow the `main` jobs, scenario by scenario). */
function sweepCurves(
  scenarios: readonly ResolvedScenario[],
  sweep: ReadonlyArray<{ rule: string; values: Readonly<Record<string, number>> }>,
  results: Map<number, EpisodeRecord[]>,
  main: number,
  perScenario: readonly ScenarioRecords[],
): Record<string, Record<string, SweepPoint[]>> {
  const out: Record<string, Record<string, SweepPoint[]>> = {};
  scenarios.forEach((s, i) => {
    const hindsight = perScenario[i]?.agents.find((a) => a.name === 'Hindsight')?.records ?? [];
    const curves: Record<string, SweepPoint[]> = {};
    sweep.forEach((a, j) => {
      const records = results.get(main + i * sweep.length + j) ?? [];
      const hs = hindsight.filter((h) => records.some((r) => r.seed === h.seed));
      const ws = mean(records.map((r) => r.summary.worker_seconds));
      (curves[a.rule] ??= []).push({
        values: { ...a.values },
        qos: mean(records.map((r) => r.summary.qos_rate)),
        worker_seconds: ws,
        ws_ratio: hs.length === records.length && hs.length > 0 ? ws / mean(hs.map((h) => h.summary.worker_seconds)) : null,
      });
    });
    out[s.name] = curves;
  });
  return out;
}

interface ResolvedScenario {
  name: string;
  description: string;
  file: string;
  config: Config;
}

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = performance.now();
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const overrides = [...(options.overrides ?? [])];
  const suite = options.suite ?? 'one-shot';
  const dirOfScenarios = suiteDir(scenariosDirFor(options.config), suite);
  const names = options.scenarios ?? listScenarios(dirOfScenarios);
  if (names.length === 0) throw new UsageError(`--scenarios: expected at least one scenario, found none in ${dirOfScenarios}`);
  // Load every scenario and resolve every agent before the first episode runs.
  const scenarios: ResolvedScenario[] = names.map((n) => {
    const s = loadScenario(n, {
      base: options.config,
      dir: dirOfScenarios,
      flag: '--scenarios',
      overrides: overrides.map((o) => ({ ...o, flag: o.flag ?? o.path })),
    });
    // A scoreboard row over a cut workload would rank agents on part of a scenario: refuse it.
    const fit = episodeFit(s.config);
    if (!fit.fits) throw new ConfigError(s.file, [{ path: 'episode.max_steps', message: episodeFitMessage(fit, s.config) }]);
    return { name: s.name, description: s.description, file: s.file, config: s.config };
  });
  if (new Set(scenarios.map((s) => s.name)).size !== scenarios.length) throw new UsageError('--scenarios: a scenario is listed twice');
  const shipped = shippedModels(join(scenariosDirFor(options.config), '..'));
  const agentNames = options.agents ?? [...defaultAgents((scenarios[0] as ResolvedScenario).config), ...shipped.agents];
  // --model / --dqn-model replace the shipped models; without them `--agents sarsa|dqn` uses the shipped ones
  const sources = { ...shipped.sources, ...options.sources };
  const first = scenarios[0] as ResolvedScenario;
  const factories = await resolvePolicies(agentNames, first.config, sources);
  const agents = [...factories.entries()].map(([display, factory], i) => {
    const p = factory();
    return {
      display,
      given: agentNames[i] as string,
      yardstick: p.clairvoyant === true || p.hindsight === true,
      hindsight: p.hindsight === true,
    };
  });
  const seeds = evaluationSeeds(first.config.seed, options.episodes);
  const jobs = options.jobs ?? availableParallelism();
  const list: BenchmarkJob[] = [];
  for (const s of scenarios)
    for (const a of agents)
      list.push({ id: list.length, config: options.config, scenario: s.file, overrides, agent: a.given, seeds, sources });
  const main = list.length;
  const sweepSeeds = seeds.slice(0, options.sweep ?? 0);
  const sweepAgents = sweepSeeds.length === 0 ? [] : TUNABLE_RULES.flatMap((r) => r.settings.map((v) => ({ rule: r.rule, values: v })));
  for (const s of scenarios)
    for (const a of sweepAgents)
      list.push({
        id: list.length,
        config: options.config,
        scenario: s.file,
        overrides,
        agent: sweepAgentName(a.rule, a.values),
        seeds: sweepSeeds,
        sources,
      });
  const tasks = new Map(scenarios.map((s) => [s.file, expectedTaskCount(s.config.workload)]));
  const hindsightAgents = new Set(agents.filter((a) => a.hindsight).map((a) => a.given));
  const cost = (job: BenchmarkJob) => (tasks.get(job.scenario) ?? 1) * job.seeds.length * (hindsightAgents.has(job.agent) ? 4 : 1);

  const dir = createRunDir({ prefix: 'benchmark', ...(options.out ? { out: options.out } : {}) });
  writeRunMetadata(dir, {
    command: 'benchmark',
    config: first.config,
    seed: first.config.seed,
    extra: {
      scenarios: scenarios.map((s) => s.name),
      agents: agents.map((a) => a.display),
      seeds,
      jobs,
      actuation: first.config.actuation,
      suite,
    },
  });
  log(
    `benchmark: ${scenarios.length} scenarios x ${agents.length} agents x ${seeds.length} ` +
      `seeds (${seeds[0]}..${seeds.at(-1)}), actuation ${first.config.actuation}, ${jobs} ` +
      `job(s)`,
  );
  const progress = createProgress({
    total: main * seeds.length + (list.length - main) * sweepSeeds.length,
    label: 'benchmark',
    ...(options.progress === 'quiet' ? { mode: 'quiet' as const } : {}),
  });
  let done = 0;
  const onEpisode = () => {
    progress.update(++done);
    options.onEpisode?.();
  };
  const results = await runPool(list, { jobs, cost, onEpisode, ...(options.signal ? { signal: options.signal } : {}) });
  progress.stop();

  let perScenario: ScenarioRecords[] = scenarios.map((s, i) => ({
    name: s.name,
    description: s.description,
    agents: agents.map((a, j) => ({ name: a.display, yardstick: a.yardstick, records: results.get(i * agents.length + j) ?? [] })),
  }));
  const interrupted = options.signal?.aborted === true;
  if (interrupted) {
    const kept = keepInterrupted(dir, perScenario, seeds.length);
    log(kept.message);
    perScenario = kept.complete;
    if (perScenario.length === 0) {
      dir.writeText('benchmark.log', `${lines.join('\n')}\n`);
      dir.close();
      return { dir: dir.path, board: null, plots: [], seconds: (performance.now() - started) / 1000, interrupted };
    }
  }
  const boardOptions = {
    seed: first.config.seed,
    actuation: first.config.actuation,
    backend: first.config.backend,
    missPrice: first.config.general.miss_price,
    ...(options.resamples ? { resamples: options.resamples } : {}),
  };
  let board: Scoreboard;
  if (suite === 'recurring') {
    // scored from day 2; day 1 (the history) gets its own scoreboard in day1/ and a column in recurring.md
    const split = splitFirstDay(perScenario, new Map(scenarios.map((s) => [s.name, s.config])));
    board = buildScoreboard(split.rest, {
      ...boardOptions,
      scope: 'days 2 on of each recurring scenario (day 1 is the history; see day1/)',
    });
    const firstDay = buildScoreboard(split.first, { ...boardOptions, scope: 'day 1 of each recurring scenario (the history)' });
    writeScoreboard(dir.subdir('day1'), firstDay);
    const rows = suiteRows(board, firstDay);
    dir.writeText('recurring.md', suiteMarkdown(rows, scenarios.length, seeds.length));
    dir.writeJson('recurring.json', rows);
  } else {
    board = buildScoreboard(perScenario, boardOptions);
  }
  // An interrupted run's sweep is partial: its curves are left out (the finished episodes are in interrupted.json).
  if (sweepAgents.length > 0 && !interrupted) board.sweeps = sweepCurves(scenarios, sweepAgents, results, main, perScenario);
  writeScoreboard(dir, board);
  const plots = await renderPlots(board, dir.path);
  const seconds = (performance.now() - started) / 1000;
  log(`wrote ${dir.file('scoreboard.md')}, scoreboard.json and ${plots.length} plots in ${seconds.toFixed(1)} s`);
  dir.writeText('benchmark.log', `${lines.join('\n')}\n`);
  dir.close();
  return { dir: dir.path, board, plots, seconds, interrupted };
}

/** --plot-only: re-render scoreboard.md and the figures from an earlier run's scoreboard.json. */
export async function replotBenchmark(inputDir: string, out?: string): Promise<BenchmarkResult> {
  const board = readScoreboard(inputDir);
  const dir = createRunDir({ prefix: 'benchmark', out: out ?? inputDir });
  dir.writeText('scoreboard.md', scoreboardMarkdown(board));
  const plots = await renderPlots(board, dir.path);
  dir.close();
  return { dir: dir.path, board, plots, seconds: 0, interrupted: false };
}
