/**
 * What train-sarsa and train-dqn share in general mode: the flags (--mode, --resume-model,
 * --seeds), their overrides of the general block, and the call into the harness or the
 * multi-seed runner. The commands stay thin: parse, load, call one of these.
 */
import { Option, type Command } from 'commander';
import { loadConfig, UsageError, type Config, type ConfigOverride } from '@autofarm/core';
import { loadGeneralSarsaPolicy } from '@autofarm/agents';
import { parseInteger } from '../options.js';
import { interruptible } from '../interrupt.js';
import { runTraining } from './harness.js';
import { trainSeeds } from './multi-seed.js';
import { sarsaTrainer } from './sarsa-trainer.js';
import { dqnTrainer } from './dqn-trainer.js';
import { GENERAL } from './setting.js';

export interface ModeFlags {
  config: string;
  mode?: 'original' | 'general';
  resumeModel?: string;
  seeds?: number;
}

export function addModeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--mode <mode>',
        'general: random workloads, load features, prices, queueing sizing with a reserve every general.cadence s ' +
          '(it trains and evaluates on the simulator, with workloads and farms from general.domain: --backend has no ' +
          'effect, and the workload, farm, step and actuation flags only shape the --seeds evaluation on the configured ' +
          'workload); original: ' +
          "the prototype's experiment (default: training.mode of the configuration)",
      ).choices(['original', 'general']),
    )
    .option('--resume-model <path>', 'general mode: continue training this model (its episode count, ε and seeds go on)')
    .option(
      '--seeds <k>',
      'general mode: K independent runs in parallel (seeds base + k x 100000), each model evaluated on the same held-out episodes',
      parseInteger('--seeds', 2),
    );
}

/** The mode in force: the flag, else the configuration file's training.mode. */
export function modeOf(flags: ModeFlags): 'original' | 'general' {
  return flags.mode ?? loadConfig(flags.config).training.mode;
}

/** Reject the general-only flags in original mode (exit 2 naming the flag). */
export function checkOriginalFlags(flags: ModeFlags): void {
  if (flags.resumeModel) throw new UsageError('--resume-model: expected --mode general (training.mode general), found mode original');
  if (flags.seeds !== undefined) throw new UsageError('--seeds: expected --mode general (training.mode general), found mode original');
}

/** Map a train command's hyper-parameter overrides (`sarsa.x` / `dqn.x`) onto general.<agent>.x where the general block has that key. */
export function generalOverrides(overrides: readonly ConfigOverride[], keys: readonly string[], agent: 'sarsa' | 'dqn'): ConfigOverride[] {
  return overrides.map((o) => {
    const key = o.path.slice(agent.length + 1);
    return keys.includes(key) ? { ...o, path: `general.${agent}.${key}` } : o;
  });
}

export interface GeneralRunFlags extends ModeFlags {
  episodes?: number;
  evalEpisodes: number;
  checkpointEvery?: number;
  stepLogEvery?: number;
  out?: string;
  tfBackend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
}

/** Train (or, with --seeds, K runs of) the general agent; prints the outcome. */
export async function generalTrain(kind: 'sarsa' | 'dqn', config: Config, flags: GeneralRunFlags, argv: readonly string[]): Promise<void> {
  const command = kind === 'sarsa' ? 'train-sarsa' : 'train-dqn';
  if (flags.seeds !== undefined) {
    if (flags.resumeModel) throw new UsageError('--seeds: expected without --resume-model (each run starts fresh), found both');
    const loadPolicy = async (model: string) => {
      if (kind === 'sarsa') return loadGeneralSarsaPolicy(model);
      const { loadGeneralDqnPolicy } = await import('@autofarm/agents/dqn');
      return loadGeneralDqnPolicy(model);
    };
    const r = await trainSeeds({
      command,
      config,
      seeds: flags.seeds,
      argv,
      evalEpisodes: Math.max(1, flags.evalEpisodes),
      loadPolicy,
      log: (l) => process.stderr.write(`${l}\n`),
      ...(flags.out ? { out: flags.out } : {}),
    });
    const { readFileSync } = await import('node:fs');
    process.stdout.write(`${readFileSync(`${r.dir}/seeds.md`, 'utf8')}run directory: ${r.dir}\n`);
    return;
  }
  const episodes = flags.episodes ?? (kind === 'sarsa' ? config.general.sarsa.episodes : config.general.dqn.episodes);
  const trainer =
    kind === 'sarsa'
      ? sarsaTrainer(config, GENERAL, flags.resumeModel)
      : await dqnTrainer(config, GENERAL, {
          ...(flags.resumeModel ? { resume: flags.resumeModel } : {}),
          ...(flags.tfBackend ? { tfBackend: flags.tfBackend } : {}),
        });
  const r = await interruptible(command, (signal) =>
    runTraining({
      config,
      trainer,
      episodes,
      evalEpisodes: flags.evalEpisodes,
      checkpointEvery: flags.checkpointEvery ?? Math.max(1, Math.round(episodes / 5)),
      ...(flags.stepLogEvery !== undefined ? { stepLogEvery: flags.stepLogEvery } : {}),
      signal,
      argv,
      ...(flags.out ? { out: flags.out } : {}),
    }),
  );
  const last = r.evaluation.at(-1);
  const evalText = last
    ? `\nvalidation on ${last.eval_episodes} random workloads: QoS ${(last.mean_final_qos * 100).toFixed(2)} ` +
      `± ${(last.std_final_qos * 100).toFixed(2)} %, mean workers ${last.mean_mean_workers.toFixed(2)}` +
      (last.mean_cost === undefined ? '' : `, cost ${last.mean_cost.toFixed(0)} worker-seconds an episode (misses at their price)`)
    : '';
  const what = r.interrupted ? `interrupted after ${r.episodesCompleted} episodes` : `trained ${r.episodesCompleted} episodes`;
  process.stdout.write(
    `${what} (general, ${r.totalSteps} steps, ${r.trainSeconds.toFixed(1)} s training, ` +
      `${r.wallSeconds.toFixed(1)} s in all)${evalText}\nmodel: ${r.model}\nrun directory: ` +
      `${r.dir}\n`,
  );
}

/** The argv after the command name (for the child runs of --seeds). */
export function commandArgv(cmd: Command, name: string): string[] {
  const raw = ((cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? []) as string[];
  const at = raw.indexOf(name);
  return at >= 0 ? raw.slice(at + 1) : [];
}
