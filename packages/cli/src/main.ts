/**
 * The autofarm entry: builds the command tree and decides exit codes. Commands throw named
 * errors; here a user error (bad config, flag, model file, unreachable service) becomes one
 * message and exit code 2, anything else a bug report and exit code 1.
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '@autofarm/core';
import { autofarmVersion } from '@autofarm/runs';
import { commands } from './commands/index.js';
import { CHECKS_OWN_PATHS, checkPathFlags, OUT_IS_FILE } from './paths.js';
import { claimOutDir } from './run-guard.js';

/** Releases of the output directories claimed by a program's running command. */
const claims = new WeakMap<Command, Array<() => void>>();

function releaseClaims(program: Command): void {
  for (const release of claims.get(program)?.splice(0) ?? []) release();
}

export function buildProgram(): Command {
  const held: Array<() => void> = [];
  const program = new Command('autofarm')
    .description('Learn and benchmark autoscaling policies for a serverless farm (emitter -> Redis -> workers -> collector).')
    .version(autofarmVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (_program, action) => {
      if (!CHECKS_OWN_PATHS.has(action.name())) checkPathFlags(action.name(), action.opts());
      const opts = action.opts<{ out?: unknown; force?: boolean; plotOnly?: boolean }>();
      if (typeof opts.out === 'string' && !OUT_IS_FILE.has(action.name())) {
        // --plot-only re-renders an earlier run's figures, in place if --out is that run.
        held.push(claimOutDir(opts.out, { command: action.name(), force: opts.force === true || opts.plotOnly === true }));
      }
    })
    .hook('postAction', () => releaseClaims(program));
  claims.set(program, held);
  for (const register of commands) register(program);
  // Every command whose --out is a run directory refuses a non-empty one unless --force.
  for (const cmd of program.commands) {
    if (OUT_IS_FILE.has(cmd.name()) || !cmd.options.some((o) => o.long === '--out')) continue;
    cmd.option('--force', 'write into a non-empty --out directory (files of an earlier run stay beside the new ones)');
  }
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    releaseClaims(program);
    if (error instanceof CommanderError) {
      // --help and --version exit 0; a usage error from commander already printed its message.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(error)) {
      process.stderr.write(`autofarm: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `autofarm: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
