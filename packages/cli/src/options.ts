/**
 * Flags shared by commands, and turning them into configuration overrides. A flag value that
 * does not parse is a UsageError naming the flag, what was expected and what was found.
 */
import { Option, type Command } from 'commander';
import { loadConfig, loadScenario, UsageError, type Config, type ConfigOverride } from '@autofarm/core';
import { episodeFit, episodeFitMessage } from '@autofarm/workload';

export function parseInteger(flag: string, min = Number.MIN_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      // No bound to name when any safe integer will do (not "expected an integer >= -9007199254740991").
      const bound = min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : '';
      throw new UsageError(`${flag}: expected an integer${bound}, found "${value}"`);
    }
    return n;
  };
}

export function parseNumber(flag: string, min = -Infinity, exclusiveMin = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || (exclusiveMin && n === min)) {
      throw new UsageError(`${flag}: expected a number ${exclusiveMin ? '>' : '>='} ${min}, found "${value}"`);
    }
    return n;
  };
}

/** The flags every episode-running command takes. */
export interface EpisodeFlags {
  config: string;
  seed?: number;
  backend?: string;
  maxSteps?: number;
  stepDuration?: number;
  initialWorkers?: number;
  arrivalProcess?: string;
  phaseShuffle?: boolean;
  phaseShuffleSeed?: number;
  timeScale?: number;
  actuation?: string;
  /** A scenario name (scenarios/<name>.yml next to --config) or a scenario file, overlaid on --config. */
  scenario?: string;
  out?: string;
}

export function addEpisodeOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file', 'configuration.yml')
    .option(
      '--scenario <name|file>',
      'a workload scenario overlaid on the configuration: a name from scenarios/ (next to --config) or a .yml file',
    )
    .option('--seed <n>', 'base seed (default: configuration seed)', parseInteger('--seed'))
    .addOption(new Option('--backend <name>', 'farm backend (default: configuration backend)').choices(['sim', 'local', 'openfaas']))
    .option('--max-steps <n>', 'step limit per episode', parseInteger('--max-steps', 1))
    .option('--step-duration <s>', 'seconds per step (also the observation window)', parseNumber('--step-duration', 0, true))
    .option('--initial-workers <n>', 'workers at the start of each episode', parseInteger('--initial-workers', 1))
    .addOption(
      new Option('--arrival-process <name>', "nhpp (pattern-following Poisson) or controlled (the original's exact counts)").choices([
        'nhpp',
        'controlled',
      ]),
    )
    .option('--phase-shuffle', 'shuffle the phase order every episode')
    .option('--phase-shuffle-seed <n>', 'seed of the phase order', parseInteger('--phase-shuffle-seed'))
    .option('--time-scale <x>', 'local backend: divide every duration by x', parseNumber('--time-scale', 0, true))
    .addOption(
      new Option(
        '--actuation <mode>',
        'native: every policy decides at its own cadence with its own rate limits (HPA 15 ' +
          's, KPA 2 s, ...); step: one decision per step of at most ±scaling.max_delta, as ' +
          'the original experiment (default: configuration actuation, native)',
      ).choices(['native', 'step']),
    );
}

/** Load the configuration with the flags applied (plus a command's own `extra` overrides); every bad value is reported at once. */
export function loadWithFlags(flags: EpisodeFlags, extra: readonly ConfigOverride[] = []): Config {
  const overrides: ConfigOverride[] = [
    { path: 'seed', value: flags.seed, flag: '--seed' },
    { path: 'backend', value: flags.backend, flag: '--backend' },
    { path: 'episode.max_steps', value: flags.maxSteps, flag: '--max-steps' },
    { path: 'episode.step_duration', value: flags.stepDuration, flag: '--step-duration' },
    { path: 'episode.observation_window', value: flags.stepDuration, flag: '--step-duration' },
    { path: 'scaling.initial_workers', value: flags.initialWorkers, flag: '--initial-workers' },
    { path: 'workload.arrival_process', value: flags.arrivalProcess, flag: '--arrival-process' },
    { path: 'workload.phase_shuffle', value: flags.phaseShuffle, flag: '--phase-shuffle' },
    { path: 'workload.phase_shuffle_seed', value: flags.phaseShuffleSeed, flag: '--phase-shuffle-seed' },
    { path: 'local.time_scale', value: flags.timeScale, flag: '--time-scale' },
    { path: 'actuation', value: flags.actuation, flag: '--actuation' },
  ];
  const all = [...overrides, ...extra];
  const config = flags.scenario
    ? loadScenario(flags.scenario, { base: flags.config, overrides: all }).config
    : loadConfig(flags.config, all);
  warnIfWorkloadCut(config, flags.scenario ?? flags.config);
  return config;
}

/** A warning on stderr when the workload outlasts the episode (benchmark refuses such a scenario instead). */
export function warnIfWorkloadCut(config: Config, source: string, write = (line: string) => process.stderr.write(line)): void {
  const fit = episodeFit(config);
  if (!fit.fits) write(`autofarm: warning: ${source}: ${episodeFitMessage(fit, config)}\n`);
}
