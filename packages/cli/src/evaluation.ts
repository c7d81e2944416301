/**
 * The greedy-evaluation run shared by test-reactive-baselines, test-sarsa and test-dqn: each
 * policy on the same seeds, a per-step table per episode in logs/evaluation.log (and on the
 * terminal when asked), one plot per episode, and summary.json with the same summary object as
 * compare-policies' aggregated_results.json.
 */
import type { Config } from '@autofarm/core';
import { createEnv, evaluate, summarize, type EpisodeRecord } from '@autofarm/env';
import { createRunDir, writeComparison, writeRunMetadata } from '@autofarm/runs';
import type { PolicyFactory } from './policies.js';
import { formatTable, STEP_HEADERS, stepRows, summaryLines } from './table.js';

export interface EvaluationOptions {
  command: string;
  config: Config;
  policies: Map<string, PolicyFactory>;
  seeds: readonly number[];
  out?: string;
  /** Run-directory prefix when `out` is not given, e.g. `sarsa_eval`. */
  prefix: string;
  /** Receives every table and summary as it is produced (the terminal). */
  print?: (text: string) => void;
}

export interface EvaluationResult {
  dir: string;
  agents: Record<string, EpisodeRecord[]>;
}

export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationResult> {
  const { config, seeds } = options;
  const dir = createRunDir({ prefix: options.prefix, ...(options.out ? { out: options.out } : {}) });
  writeRunMetadata(dir, {
    command: options.command,
    config,
    seed: config.seed,
    extra: { seeds, agents: [...options.policies.keys()], backend: config.backend, actuation: config.actuation },
  });
  const logs = dir.subdir('logs');
  const plotsDir = dir.subdir('plots');
  const { plotEpisode } = await import('@autofarm/runs/plots');
  const agents: Record<string, EpisodeRecord[]> = {};
  const log: string[] = [];
  const emit = (text: string) => {
    log.push(text);
    options.print?.(text);
  };
  for (const [name, factory] of options.policies) {
    const records = await evaluate(factory(), () => createEnv(config), seeds, {
      config,
      onEpisode: (record, i) => {
        emit(
          `== ${name}, episode ${i + 1}/${seeds.length}, seed ${record.seed}\n` +
            `${formatTable(STEP_HEADERS, stepRows(record))}\n${summaryLines(record)}\n`,
        );
        plotEpisode(record, plotsDir.file(`${name.toLowerCase()}_episode_${String(i + 1).padStart(2, '0')}.png`), {
          title: `${name}, seed ${record.seed}`,
        });
      },
    });
    agents[name] = records;
  }
  logs.writeText('evaluation.log', log.join('\n'));
  const summary = Object.fromEntries(
    Object.entries(agents).map(([name, records]) => [
      name,
      { summary: summarize(records), episodes: records.map((r) => ({ seed: r.seed, ...r.summary })) },
    ]),
  );
  dir.writeJson('summary.json', { command: options.command, seeds, backend: config.backend, actuation: config.actuation, agents: summary });
  // The records too, in the compare-policies format, so --replay-file and --plot-only work on them.
  writeComparison(dir, agents, { seeds, command: options.command, actuation: config.actuation });
  dir.close();
  return { dir: dir.path, agents };
}
