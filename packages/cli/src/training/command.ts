/**
 * What train-sarsa and train-dqn share: the mode flags (--mode, --resume-model, --seeds), the help
 * line that says what the configured mode trains and writes, the mapping of hyper-parameter flags
 * onto the block the mode reads (and the note on the keys it ignores), and the general call into
 * the harness or the multi-seed runner. The commands stay thin: parse, load, call one of these.
 */
import { Option, type Command } from 'commander';
import {
  generalDqnSchema,
  generalSarsaSchema,
  loadConfig,
  readYamlFile,
  UsageError,
  type Config,
  type ConfigOverride,
} from '@autofarm/core';
import { loadGeneralSarsaPolicy } from '@autofarm/agents';
import { parseInteger, parseNumber } from '../options.js';
import { interruptible } from '../interrupt.js';
import { loadWithFlags, type EpisodeFlags } from '../options.js';
import { runTraining } from './harness.js';
import { trainSeeds } from './multi-seed.js';
import { sarsaTrainer } from './sarsa-trainer.js';
import { dqnTrainer } from './dqn-trainer.js';
import { GENERAL, settingOf, type AgentKind } from './setting.js';

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

/** The keys of general.<agent>: in general mode they replace the same keys of the <agent> block (from the schema, not a copy). */
export const GENERAL_KEYS: Record<AgentKind, readonly string[]> = {
  sarsa: Object.keys(generalSarsaSchema.shape),
  dqn: Object.keys(generalDqnSchema.shape),
};

/**
 * Keys of the <agent> block general mode never reads: those general.<agent> replaces, the reward
 * offset (the cost reward has none), SARSA's bins.
 */
export function ignoredInGeneral(agent: AgentKind): string[] {
  return [...GENERAL_KEYS[agent], 'reward_offset', ...(agent === 'sarsa' ? ['bins'] : [])];
}

/** Map a train command's hyper-parameter overrides (`sarsa.x` / `dqn.x`) onto general.<agent>.x where the general block has that key. */
export function generalOverrides(overrides: readonly ConfigOverride[], agent: AgentKind): ConfigOverride[] {
  const keys = GENERAL_KEYS[agent];
  return overrides.map((o) => {
    const key = o.path.slice(agent.length + 1);
    return keys.includes(key) ? { ...o, path: `general.${agent}.${key}` } : o;
  });
}

/**
 * General mode: the keys of the configuration file's <agent> block that it does not read, as one
 * line for stderr (null when there are none). A flag general mode cannot honour is an error instead.
 */
export function inactiveKeysNote(file: string, agent: AgentKind, config: Config): string | null {
  let raw: unknown;
  try {
    raw = readYamlFile(file);
  } catch {
    return null; // the configuration loaded already; a scenario file may stand in for it
  }
  const block = (raw as Record<string, unknown> | null)?.[agent];
  if (typeof block !== 'object' || block === null) return null;
  const ignored = ignoredInGeneral(agent).filter((k) => k in block);
  if (ignored.length === 0) return null;
  return (
    `note: general mode trains with general.${agent} (episodes ${config.general[agent].episodes}); ` +
    `${ignored.map((k) => `${agent}.${k}`).join(', ')} in ${file} apply to --mode original only`
  );
}

/** The value of `--name X` or `--name=X` in argv, if given. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const a = argv[at] as string;
  return a.includes('=') ? a.slice(name.length + 1) : argv[at + 1];
}

/** The help's last lines: what --mode, else the configuration named on the command line (or the default one), trains and writes. */
export function modeHelp(agent: AgentKind, argv: readonly string[] = process.argv): string {
  const file = flagValue(argv, '--config') ?? 'configuration.yml';
  let config: Config;
  try {
    config = loadConfig(file);
  } catch {
    return `\nThe mode in force is --mode, else training.mode of --config (${file} cannot be read now).`;
  }
  const flag = flagValue(argv, '--mode');
  const setting = settingOf(flag === 'original' || flag === 'general' ? flag : config.training.mode);
  const name = setting.name(agent);
  const block = setting.block(agent);
  return [
    '',
    `With ${flag ? `--mode ${flag}` : `${file} (training.mode ${setting.mode})`} this trains ${setting.episodes(config, agent)} episodes ` +
      `(${block}.episodes) with the hyper-parameters of ${block}${setting.mode === 'general' ? ` over ${agent}` : ''}`,
    `and writes runs/${name}_run_<UTC timestamp>/models/${name}_final${agent === 'sarsa' ? '.json' : '/'}.`,
    ...(setting.mode === 'general'
      ? [
          `The ${agent}: keys ${ignoredInGeneral(agent)
            .filter((k) => k in config[agent])
            .join(', ')} apply to --mode original only.`,
        ]
      : []),
  ].join('\n');
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
  const note = inactiveKeysNote(flags.config, kind, config);
  if (note) process.stderr.write(`${note}\n`);
  const episodes = flags.episodes ?? GENERAL.episodes(config, kind);
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

/**
 * The action of train-sarsa / train-dqn: the mode in force picks the block the hyper-parameter
 * flags set (general.<agent> where it has the key) and the run; `original` runs the original
 * experiment and returns what to print.
 */
export function trainAction<F extends GeneralRunFlags & EpisodeFlags & { rewardOffset?: number }>(
  cmd: Command,
  kind: AgentKind,
  overrides: (flags: F) => ConfigOverride[],
  original: (config: Config, flags: F, signal: AbortSignal) => Promise<{ interrupted: boolean; text: string }>,
): Command {
  const command = `train-${kind}`;
  return cmd
    .addHelpText('after', () => modeHelp(kind))
    .action(async (flags: F) => {
      if (modeOf(flags) === 'general') {
        if (flags.rewardOffset !== undefined)
          throw new UsageError('--reward-offset: expected --mode original, found mode general (the cost reward has no offset)');
        const config = loadWithFlags(flags, [
          ...generalOverrides(overrides(flags), kind),
          { path: 'training.mode', value: 'general', flag: '--mode' },
        ]);
        return generalTrain(kind, config, flags, commandArgv(cmd, command));
      }
      checkOriginalFlags(flags);
      const config = loadWithFlags(flags, overrides(flags));
      process.stdout.write((await interruptible(command, (signal) => original(config, flags, signal))).text);
    });
}

/** The options both train-* commands take beside their hyper-parameters (their flags read the same). */
export function addTrainingOptions(cmd: Command, agent: AgentKind, evalDefault: number): Command {
  return cmd
    .option(
      '--episodes <n>',
      `training episodes (default: general.${agent}.episodes in general mode, ${agent}.episodes in original)`,
      parseInteger('--episodes', 1),
    )
    .option(
      '--eval-episodes <n>',
      'greedy evaluation episodes per checkpoint and at the end: validation workloads in general mode, ' +
        'held-out seeds in original (0 disables)',
      parseInteger('--eval-episodes', 0),
      evalDefault,
    )
    .option(
      '--reward-offset <x>',
      'original mode only: subtracted from every reward before learning (0 = the original)',
      parseNumber('--reward-offset'),
    )
    .option(
      '--out <dir>',
      `run directory (default runs/${agent}_general_run_<UTC timestamp> in general mode, runs/${agent}_run_<...> in original)`,
    );
}
