/**
 * `autofarm serve-env`: the environment over the JSON-lines protocol of @autofarm/env's
 * serveEnv on stdin/stdout, for clients in other languages (python/autofarm_gym). stdout
 * carries protocol lines only; anything for a person goes to stderr. The process ends when
 * stdin closes or the client sends close.
 */
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Config } from '@autofarm/core';
import { createEnv, PROTOCOL_VERSION, serveEnv } from '@autofarm/env';
import { autofarmVersion } from '@autofarm/runs';
import { addEpisodeOptions, loadWithFlags, type EpisodeFlags } from '../options.js';
import { checkPathFlags } from '../paths.js';

export interface ServeIo {
  input: Readable;
  output: Writable;
  signal?: AbortSignal;
}

/**
 * Flags -> the Config the server runs. The one place a served environment is chosen: the
 * scenario flag (the scenario suite's issue) resolves here too, before the env is built.
 */
export function resolveServeConfig(flags: EpisodeFlags): Config {
  return loadWithFlags(flags);
}

/** Serve the env `config` describes until the client closes or input ends. */
export async function serveConfiguredEnv(config: Config, io: ServeIo, extra: Record<string, unknown> = {}): Promise<void> {
  const env = await createEnv(config);
  await serveEnv({
    env,
    ...io,
    hello: {
      backend: config.backend,
      maxSteps: config.episode.max_steps,
      stepDuration: config.episode.step_duration,
      extra: { server: `autofarm ${autofarmVersion()}`, ...extra },
    },
  });
}

/**
 * The command's whole job. A failure before the first hello (bad config, unreachable backend)
 * is also written as one protocol error line, so a client reading stdout learns why instead
 * of seeing a bare end of file; it is then rethrown for main's exit code.
 */
export async function runServeEnv(flags: EpisodeFlags, io: ServeIo): Promise<void> {
  try {
    checkPathFlags('serve-env', flags as unknown as Record<string, unknown>);
    const config = resolveServeConfig(flags);
    await serveConfiguredEnv(config, io, { config_file: flags.config });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    io.output.write(`${JSON.stringify({ type: 'error', op: 'start', fatal: true, protocol: PROTOCOL_VERSION, error: name, message })}\n`);
    throw error;
  }
}

export function registerServeEnv(program: Command): void {
  addEpisodeOptions(
    program
      .command('serve-env')
      .description(
        `serve the environment over JSON lines on stdin/stdout (protocol ${PROTOCOL_VERSION}; ` +
          `used by the Python package python/autofarm_gym)`,
      )
      .addHelpText(
        'after',
        '\nProtocol: the server writes a hello line (spaces, protocol version), then answers ' +
          'each\nrequest line ({"op":"reset","seed":N} / {"op":"step","action":DELTA} / {"op":"spaces"} ' +
          '/\n{"op":"close"}) with one line. Errors are {"type":"error",...} lines. Ends when ' +
          'stdin closes.',
      ),
  ).action(async (flags: EpisodeFlags) => {
    // Ctrl-C in the client's terminal reaches this process too: close the env (a local
    // backend's processes, Redis) before leaving instead of dying mid-step.
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      await runServeEnv(flags, { input: process.stdin, output: process.stdout, signal: abort.signal });
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  });
}
