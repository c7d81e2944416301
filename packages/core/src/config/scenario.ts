/**
 * Scenarios: named workload overlays on configuration.yml (scenarios/<name>.yml at the repo
 * root). A scenario file is a partial configuration plus a one-line `description`; it is
 * deep-merged onto the base file (mappings merge key by key, lists and scalars replace) and the
 * result is validated by the same schema, so a bad scenario is reported like a bad
 * configuration: path, expected, found, with the scenario file named.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { parseConfig, readYamlFile, type ConfigOverride } from './load.js';
import { resolveTraceFiles } from './trace.js';
import type { Config } from './schema.js';

export interface Scenario {
  /** File name without extension, e.g. `spike-flash`. */
  name: string;
  /** The scenario's one-line description. */
  description: string;
  /** The scenario file read. */
  file: string;
  /** The base configuration with the overlay (and any overrides) applied, validated. */
  config: Config;
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `overlay` merged onto `base`: mappings key by key, anything else (lists included) replaces. */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (!isMapping(base) || !isMapping(overlay)) return structuredClone(overlay);
  const out: Mapping = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) out[key] = key in out ? mergeOverlay(out[key], value) : structuredClone(value);
  return out;
}

/** Names of the scenarios in `dir` (files *.yml / *.yaml), sorted. */
export function listScenarios(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .map((f) => basename(f, extname(f)))
    .sort();
}

/** The file for `nameOrFile`: an existing path (or anything ending in .yml/.yaml), else `<dir>/<name>.yml`. */
export function scenarioFile(nameOrFile: string, dir: string, flag = '--scenario'): string {
  if (/\.ya?ml$/.test(nameOrFile) || nameOrFile.includes('/')) return resolve(nameOrFile);
  for (const ext of ['.yml', '.yaml']) {
    const file = join(dir, nameOrFile + ext);
    if (existsSync(file)) return file;
  }
  const known = listScenarios(dir);
  throw new UsageError(
    `${flag}: expected a scenario name (${known.length > 0 ? known.join(', ') : `none found in ${dir}`}) ` +
      `or a .yml file, found "${nameOrFile}"`,
  );
}

export interface LoadScenarioOptions {
  /** The base configuration file (default configuration.yml). */
  base?: string;
  /** Where named scenarios live (default: scenarios/ next to the base file). */
  dir?: string;
  /** Applied after the overlay (CLI flags). */
  overrides?: readonly ConfigOverride[];
  /** The flag named in an unknown-name error (default --scenario). */
  flag?: string;
}

/** The scenarios directory that goes with a base configuration file. */
export function scenariosDirFor(base: string): string {
  return join(dirname(resolve(base)), 'scenarios');
}

/** Load scenario `nameOrFile` onto the base configuration. Throws UsageError (unknown name) or ConfigError (bad file). */
export function loadScenario(nameOrFile: string, options: LoadScenarioOptions = {}): Scenario {
  const base = options.base ?? 'configuration.yml';
  const file = scenarioFile(nameOrFile, options.dir ?? scenariosDirFor(base), options.flag);
  const overlay = readYamlFile(file);
  if (!isMapping(overlay))
    throw new ConfigError(file, [{ path: '(top level)', message: 'expected a mapping of settings with a description' }]);
  const { description, ...settings } = overlay;
  if (typeof description !== 'string' || description.trim() === '' || description.includes('\n')) {
    const found =
      description === undefined ? 'nothing' : typeof description === 'string' ? `"${description.slice(0, 40)}"` : typeof description;
    throw new ConfigError(file, [{ path: 'description', message: `expected a one-line string, found ${found}` }]);
  }
  // Trace files named by the overlay are relative to the scenario file, the base's to the base.
  const raw = mergeOverlay(
    resolveTraceFiles(readYamlFile(base), dirname(resolve(base))),
    resolveTraceFiles({ ...settings }, dirname(file)),
  );
  const config = parseConfig(raw, file, options.overrides ?? []);
  return { name: basename(file, extname(file)), description: description.trim(), file, config };
}
