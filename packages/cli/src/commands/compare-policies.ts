/** `autofarm compare-policies`: the README's main job. */
import type { Command } from 'commander';
import { UsageError } from '@autofarm/core';
import { comparisonMarkdown } from '@autofarm/runs';
import { BASELINE_DESCRIPTIONS } from '@autofarm/baselines';
import { comparePolicies, replotComparison } from '../compare.js';
import { basename, dirname, resolve } from 'node:path';
import { shippedModels } from '../benchmark/benchmark.js';
import { interruptible } from '../interrupt.js';
import { addEpisodeOptions, loadWithFlags, parseInteger, type EpisodeFlags } from '../options.js';

export const DEFAULT_AGENTS = ['reactiveaverage', 'reactivemaximum', 'static', 'hpa', 'keda', 'kpa', 'openfaas', 'queueing', 'oracle'];

interface CompareFlags extends EpisodeFlags {
  agents?: string[];
  episodes: number;
  model?: string;
  dqnModel?: string;
  replayFile?: string;
  replayAgent?: string;
  replayEpisode?: number;
  plotOnly?: boolean;
  inputDir?: string;
  baselineCache?: string;
}

const agentHelp = Object.entries(BASELINE_DESCRIPTIONS)
  .map(([name, text]) => `  ${name.padEnd(16)} ${text}`)
  .concat(['  sarsa            a trained SARSA model (--model FILE)', '  dqn              a trained DQN model (--dqn-model DIR)'])
  .join('\n');

export function registerComparePolicies(program: Command): void {
  addEpisodeOptions(
    program
      .command('compare-policies')
      .description(
        'evaluate several policies on the same held-out seeds; writes aggregated_results.json, comparison.md, comparison.log and plots',
      )
      .option(
        '--agents <names...>',
        `agents to compare (see below; default: ${DEFAULT_AGENTS.join(' ')}, plus the models shipped in models/ next to the configuration)`,
      )
      .option('--episodes <n>', 'episodes per agent', parseInteger('--episodes', 1), 10)
      .option('--model <file>', 'SARSA model for --agents sarsa (default: models/sarsa.json next to the configuration)')
      .option('--dqn-model <dir>', 'DQN model directory for --agents dqn (default: models/dqn/ next to the configuration)')
      .option('--replay-file <file>', 'actions for --agents replay: a JSON list or an aggregated_results.json')
      .option('--replay-agent <name>', 'with --replay-file: the agent of an aggregated_results.json whose actions to replay')
      .option(
        '--replay-episode <i>',
        'with --replay-file: which recorded episode (0-based; run with the same --seed to reproduce it)',
        parseInteger('--replay-episode', 0),
      )
      .option('--plot-only', 're-render table and plots from --input-dir without running episodes')
      .option('--input-dir <dir>', 'an earlier compare-policies run directory (with --plot-only)')
      .option('--baseline-cache <dir>', 'reuse records of an earlier run for agents evaluated on the same seeds')
      .option('--out <dir>', 'run directory (default runs/compare_<UTC timestamp>)')
      .addHelpText(
        'after',
        `\nAgents:\n${agentHelp}\n\nEvery agent runs on the same held-out seeds (seed + 1000000 + i), never the training seeds.`,
      ),
  ).action(async (flags: CompareFlags) => {
    if (flags.plotOnly) {
      if (!flags.inputDir) throw new UsageError('--plot-only needs --input-dir DIR');
      const r = await replotComparison(flags.inputDir, flags.out);
      if (r.results) process.stdout.write(`${comparisonMarkdown(r.results)}\nre-rendered ${r.plots.join(', ')}\n`);
      return;
    }
    const config = loadWithFlags(flags);
    const scenario = flags.scenario ? basename(flags.scenario).replace(/\.ya?ml$/, '') : undefined;
    // Without --agents: every baseline plus the shipped general models (models/sarsa.json, models/dqn/);
    // `--agents sarsa|dqn` without --model / --dqn-model uses them too.
    const shipped = shippedModels(dirname(resolve(flags.config)));
    const result = await interruptible('compare-policies', (signal) =>
      comparePolicies({
        config,
        signal,
        ...(scenario ? { scenario } : {}),
        agents: flags.agents ?? [...DEFAULT_AGENTS, ...shipped.agents],
        episodes: flags.episodes,
        seed: config.seed,
        sources: {
          ...shipped.sources,
          ...(flags.model ? { model: flags.model } : {}),
          ...(flags.dqnModel ? { dqnModel: flags.dqnModel } : {}),
          ...(flags.replayFile
            ? {
                replayFile: flags.replayFile,
                replaySelection: {
                  ...(flags.replayAgent ? { agent: flags.replayAgent } : {}),
                  ...(flags.replayEpisode !== undefined ? { episode: flags.replayEpisode } : {}),
                },
              }
            : {}),
        },
        ...(flags.out ? { out: flags.out } : {}),
        ...(flags.baselineCache ? { baselineCache: flags.baselineCache } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      }),
    );
    if (!result.results) return;
    process.stdout.write(
      `\n${comparisonMarkdown(result.results)}\nResults in ${result.dir}: comparison.md, ` +
        `aggregated_results.json, ${result.plots.map((p) => p.split('/').pop()).join(', ')}\n`,
    );
  });
}
