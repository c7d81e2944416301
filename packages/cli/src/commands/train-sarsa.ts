/**
 * `autofarm train-sarsa`: train the tabular SARSA(λ) agent (reference §9, §11.1) and write one
 * run directory:
 *   logs/training.log            arguments, hyper-parameters, reward block, per-step rows of the
 *                                logged episodes, episode and [EVAL] lines (§12.7)
 *   steps.jsonl                  the same per-step rows as JSON
 *   models/sarsa_ep0600.json …   checkpoints; models/sarsa_final.json the trained model
 *   training_metrics.json        {episodes: [...]} (§12.2; final_qos counts unfinished tasks as misses)
 *   evaluation_metrics.json      {checkpoints: [...]} (§12.3), greedy on held-out seeds
 *   training_state_visits.json   §12.6
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * The command parses flags and calls trainSarsaRun (training/original-sarsa.ts) in original mode,
 * or the general harness (training/command.ts) in general mode.
 */
import { Option, type Command } from 'commander';
import type { ConfigOverride } from '@autofarm/core';
import { addEpisodeOptions, parseInteger, parseNumber, type EpisodeFlags } from '../options.js';
import { addModeOptions, addTrainingOptions, trainAction, type ModeFlags } from '../training/command.js';
import { trainSarsaRun } from '../training/original-sarsa.js';

export { trainSarsaRun, type SarsaTrainingRow, type TrainSarsaRunOptions, type TrainSarsaRunResult } from '../training/original-sarsa.js';

interface TrainSarsaFlags extends EpisodeFlags, ModeFlags {
  episodes?: number;
  evalEpisodes: number;
  checkpointEvery?: number;
  stepLogEvery?: number;
  alpha?: number;
  gamma?: number;
  epsilon?: number;
  epsilonMin?: number;
  epsilonDecay?: number;
  traceLambda?: number;
  trace?: 'accumulating' | 'replacing';
  traceThreshold?: number;
  rewardOffset?: number;
}

/** Flags that override config.sarsa, validated by the schema (errors name the flag). */
export function sarsaOverrides(flags: TrainSarsaFlags): ConfigOverride[] {
  const map: Array<[keyof TrainSarsaFlags, string, string]> = [
    ['episodes', 'episodes', '--episodes'],
    ['alpha', 'alpha', '--alpha'],
    ['gamma', 'gamma', '--gamma'],
    ['epsilon', 'epsilon', '--epsilon'],
    ['epsilonMin', 'epsilon_min', '--epsilon-min'],
    ['epsilonDecay', 'epsilon_decay', '--epsilon-decay'],
    ['traceLambda', 'lambda', '--trace-lambda'],
    ['trace', 'trace', '--trace'],
    ['traceThreshold', 'trace_threshold', '--trace-threshold'],
    ['rewardOffset', 'reward_offset', '--reward-offset'],
  ];
  return map.map(([key, path, flag]) => ({ path: `sarsa.${path}`, value: flags[key], flag }));
}

export function registerTrainSarsa(program: Command): void {
  const cmd = addEpisodeOptions(
    addTrainingOptions(
      program
        .command('train-sarsa')
        .description(
          'train the tabular SARSA(lambda) agent; writes a run directory with the model (JSON), metrics, logs and plots. ' +
            'The hyper-parameter flags set general.sarsa.<key> in general mode where that block has the key, else sarsa.<key>',
        ),
      'sarsa',
      20,
    )
      .option(
        '--checkpoint-every <n>',
        'save and evaluate every n episodes (0 disables; default: a fifth of the episodes in general mode, a tenth in original)',
        parseInteger('--checkpoint-every', 0),
      )
      .option(
        '--step-log-every <n>',
        'per-step rows for every n-th episode (1 = all, 0 = none; default: none in general mode, the checkpoint interval in original)',
        parseInteger('--step-log-every', 0),
      )
      .option('--alpha <x>', 'learning rate', parseNumber('--alpha', 0, true))
      .option('--gamma <x>', 'discount', parseNumber('--gamma', 0))
      .option('--epsilon <x>', 'initial exploration rate', parseNumber('--epsilon', 0))
      .option('--epsilon-min <x>', 'exploration floor', parseNumber('--epsilon-min', 0))
      .option('--epsilon-decay <x>', 'multiplicative exploration decay per episode', parseNumber('--epsilon-decay', 0, true))
      .option('--trace-lambda <x>', 'eligibility-trace decay (0 = one-step SARSA)', parseNumber('--trace-lambda', 0))
      .addOption(new Option('--trace <kind>', 'eligibility-trace kind').choices(['accumulating', 'replacing']))
      .option('--trace-threshold <x>', 'traces below this are dropped', parseNumber('--trace-threshold', 0)),
  );
  trainAction(addModeOptions(cmd), 'sarsa', sarsaOverrides, async (config, flags, signal) => {
    const r = await trainSarsaRun({
      config,
      evalEpisodes: flags.evalEpisodes,
      signal,
      ...(flags.checkpointEvery !== undefined ? { checkpointEvery: flags.checkpointEvery } : {}),
      ...(flags.stepLogEvery !== undefined ? { stepLogEvery: flags.stepLogEvery } : {}),
      ...(flags.out ? { out: flags.out } : {}),
    });
    const last = r.evaluation.at(-1);
    const evalText = last
      ? `\nheld-out evaluation (${last.eval_episodes} episodes): QoS ${(last.mean_final_qos * 100).toFixed(2)} ` +
        `± ${(last.std_final_qos * 100).toFixed(2)} %, mean workers ${last.mean_mean_workers.toFixed(2)} ` +
        `± ${last.std_mean_workers.toFixed(2)}, reward ${last.mean_total_reward.toFixed(1)} ` +
        `± ${last.std_total_reward.toFixed(1)}`
      : '';
    const what = r.interrupted ? `interrupted after ${r.episodesCompleted} episodes` : `trained ${r.episodesCompleted} episodes`;
    const text =
      `${what} (${r.totalSteps} steps, ${r.trainSeconds.toFixed(1)} s training, ${r.wallSeconds.toFixed(1)} ` +
      `s in all, ${r.tableSize} states)${evalText}\nmodel: ${r.modelFile}\nrun directory: ${r.dir}\n`;
    return { interrupted: r.interrupted, text };
  });
}
