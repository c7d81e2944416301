/**
 * What a run directory says about how it was made: `config.resolved.json` (the configuration
 * after the file and every flag were merged and validated) and `run.json` (format version,
 * autofarm version, command line, seed, config hash, start time). Together they are enough to
 * re-run the command or to refuse a model trained under another configuration.
 */
import { readFileSync } from 'node:fs';
import { configHash, type Config } from '@autofarm/core';
import type { RunDir } from './run-dir.js';

/** Bumped when run.json or the files beside it change shape. */
export const RUN_FORMAT_VERSION = 1;

export interface RunMetadata {
  format_version: number;
  autofarm_version: string;
  /** The command, e.g. `compare-policies`. */
  command: string;
  /** The arguments after the program name, as typed. */
  argv: string[];
  seed: number;
  /** configHash(config) from @autofarm/core: same hash, same resolved configuration. */
  config_hash: string;
  /** ISO 8601, UTC. */
  started_at: string;
  node_version: string;
  [extra: string]: unknown;
}

export interface RunMetadataInput {
  command: string;
  config: Config;
  seed: number;
  /** Default: process.argv after the program name. */
  argv?: readonly string[];
  /** Default: now. */
  startedAt?: Date;
  /** Anything else worth keeping (backend name, agent list, ...); must not reuse a field name above. */
  extra?: Record<string, unknown>;
}

let cachedVersion: string | undefined;

/** The version in @autofarm/runs' package.json (workspace packages are versioned together). */
export function autofarmVersion(): string {
  if (cachedVersion === undefined) {
    // One level above both src/ (tests) and dist/ (built code).
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    cachedVersion = String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
  }
  return cachedVersion;
}

/** Writes config.resolved.json and run.json into `dir`; returns what run.json holds. */
export function writeRunMetadata(dir: RunDir, input: RunMetadataInput): RunMetadata {
  const metadata: RunMetadata = {
    ...input.extra,
    format_version: RUN_FORMAT_VERSION,
    autofarm_version: autofarmVersion(),
    command: input.command,
    argv: [...(input.argv ?? process.argv.slice(2))],
    seed: input.seed,
    config_hash: configHash(input.config),
    started_at: (input.startedAt ?? new Date()).toISOString(),
    node_version: process.version,
  };
  dir.writeJson('config.resolved.json', input.config);
  dir.writeJson('run.json', metadata);
  return metadata;
}
