/**
 * `autofarm train-dqn`: train the Double DQN (reference §11.2) and write one run directory:
 *   logs/training.log         arguments, reward block, per-step rows, episode and [EVAL] lines (§12.7)
 *   steps.jsonl               the per-step rows as JSON
 *   models/dqn_ep0010/ ...    checkpoints; models/dqn_final/ the trained model (tfjs layers format)
 *   training_metrics.json     {episodes: [...]} (§12.2 + mean_loss)
 *   evaluation_metrics.json   {checkpoints: [...]} (§12.3), greedy on held-out seeds
 *   plots/training_curves.png, training_summary.json, config.resolved.json, run.json
 * The command parses flags and calls trainDqnRun (training/original-dqn.ts) in original mode, or
 * the general harness (training/command.ts) in general mode.
 */
import { Option, type Command } from 'commander';
import type { ConfigOverride } from '@autofarm/core';
import { addEpisodeOptions, parseInteger, parseNumber, type EpisodeFlags } from '../options.js';
import { addModeOptions, addTrainingOptions, trainAction, type ModeFlags } from '../training/command.js';
import { trainDqnRun } from '../training/original-dqn.js';

export { trainDqnRun, type TrainDqnRunOptions, type TrainDqnRunResult } from '../training/original-dqn.js';

interface TrainDqnFlags extends EpisodeFlags, ModeFlags {
  episodes?: number;
  evalEpisodes: number;
  checkpointEvery: number;
  gamma?: number;
  learningRate?: number;
  epsilonStart?: number;
  epsilonEnd?: number;
  epsilonDecay?: number;
  batchSize?: number;
  replayCapacity?: number;
  targetUpdate?: number;
  targetTau?: number;
  warmupSteps?: number;
  maxGradNorm?: number;
  hiddenLayers?: number[];
  rewardOffset?: number;
  tfBackend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
}

/** Flags that override config.dqn, validated by the schema (errors name the flag). */
export function dqnOverrides(flags: TrainDqnFlags): ConfigOverride[] {
  const map: Array<[keyof TrainDqnFlags, string, string]> = [
    ['episodes', 'episodes', '--episodes'],
    ['gamma', 'gamma', '--gamma'],
    ['learningRate', 'learning_rate', '--learning-rate'],
    ['epsilonStart', 'epsilon_start', '--epsilon-start'],
    ['epsilonEnd', 'epsilon_end', '--epsilon-end'],
    ['epsilonDecay', 'epsilon_decay', '--epsilon-decay'],
    ['batchSize', 'batch_size', '--batch-size'],
    ['replayCapacity', 'replay_capacity', '--replay-capacity'],
    ['targetUpdate', 'target_update', '--target-update'],
    ['targetTau', 'target_tau', '--target-tau'],
    ['warmupSteps', 'warmup_steps', '--warmup-steps'],
    ['maxGradNorm', 'max_grad_norm', '--max-grad-norm'],
    ['hiddenLayers', 'hidden_layers', '--hidden-layers'],
    ['rewardOffset', 'reward_offset', '--reward-offset'],
  ];
  return map.map(([key, path, flag]) => ({ path: `dqn.${path}`, value: flags[key], flag }));
}

const collectInt = (flag: string) => (value: string, previous: number[] | undefined) => [...(previous ?? []), parseInteger(flag, 1)(value)];

export function registerTrainDqn(program: Command): void {
  const cmd = addEpisodeOptions(
    addTrainingOptions(
      program
        .command('train-dqn')
        .description(
          'train the Double-DQN agent; writes a run directory with the model (tfjs layers format), metrics, logs and plots. ' +
            'The hyper-parameter flags set general.dqn.<key> in general mode where that block has the key, else dqn.<key>',
        ),
      'dqn',
      5,
    )
      .option('--checkpoint-every <n>', 'save and evaluate every n episodes (0 disables)', parseInteger('--checkpoint-every', 0), 10)
      .option('--gamma <x>', 'discount', parseNumber('--gamma', 0))
      .option('--learning-rate <x>', 'Adam learning rate', parseNumber('--learning-rate', 0, true))
      .option('--epsilon-start <x>', 'initial exploration rate', parseNumber('--epsilon-start', 0))
      .option('--epsilon-end <x>', 'exploration floor', parseNumber('--epsilon-end', 0))
      .option('--epsilon-decay <x>', 'multiplicative exploration decay per episode', parseNumber('--epsilon-decay', 0, true))
      .option('--batch-size <n>', 'mini-batch size', parseInteger('--batch-size', 1))
      .option('--replay-capacity <n>', 'replay buffer capacity', parseInteger('--replay-capacity', 1))
      .option('--target-update <n>', 'gradient updates between Polyak target updates', parseInteger('--target-update', 1))
      .option('--target-tau <x>', 'Polyak factor in (0, 1]; 1 = hard copy', parseNumber('--target-tau', 0, true))
      .option('--warmup-steps <n>', 'transitions collected before learning starts', parseInteger('--warmup-steps', 0))
      .option('--max-grad-norm <x>', 'global gradient-norm clip (0 disables)', parseNumber('--max-grad-norm', 0))
      .option('--hidden-layers <n...>', 'hidden layer widths, e.g. --hidden-layers 128 64', collectInt('--hidden-layers'))
      .addOption(new Option('--tf-backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto')),
  );
  trainAction(addModeOptions(cmd), 'dqn', dqnOverrides, async (config, flags, signal) => {
    const r = await trainDqnRun({
      config,
      evalEpisodes: flags.evalEpisodes,
      checkpointEvery: flags.checkpointEvery,
      tfBackend: flags.tfBackend,
      signal,
      ...(flags.out ? { out: flags.out } : {}),
    });
    const last = r.evaluation.at(-1);
    const evalText = last
      ? `; held-out evaluation (${last.eval_episodes} episodes): QoS ${(last.mean_final_qos * 100).toFixed(2)} ` +
        `%, mean workers ${last.mean_mean_workers.toFixed(2)}`
      : '';
    const what = r.interrupted ? `interrupted after ${r.episodesCompleted} episodes` : `trained ${r.episodesCompleted} episodes`;
    const text =
      `${what} (${r.totalSteps} steps, ${r.wallSeconds.toFixed(1)} s, tfjs ${r.tfBackend})${evalText}\n` +
      `model: ${r.modelDir}\nrun directory: ${r.dir}\n`;
    return { interrupted: r.interrupted, text };
  });
}
