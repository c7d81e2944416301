/**
 * Reads configuration.yml once, at the edge. Every invalid value is reported with its YAML
 * path, what was expected and what was found, all problems at once (ConfigError); callers
 * never see a zod error or a stack trace.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { fillTraceCounts, resolveTraceFiles } from './trace.js';

export { resolveTraceFiles } from './trace.js';

/** A value that replaces the file's value at a dotted path, e.g. from a CLI flag. */
export interface ConfigOverride {
  /** Dotted path into the configuration, e.g. `episode.max_steps`. */
  path: string;
  value: unknown;
  /** The flag it came from, named in error messages instead of the path. */
  flag?: string;
}

/** `workload.phases[2].pattern` from ['workload', 'phases', 2, 'pattern']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${String(issue.minimum)} item(s)`
        : `expected ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `expected at most ${String(issue.maximum)} item(s)`
        : `expected ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

/** zod issues -> one line each: path, expected, found. */
export function toConfigIssues(error: z.ZodError, raw: unknown, flags: ReadonlyMap<string, string> = new Map()): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const where = flags.get(path) ?? path;
    if (issue.code === 'custom' || issue.code === 'unrecognized_keys') return { path: where, message: expectedOf(issue) };
    return { path: where, message: `${expectedOf(issue)}, found ${describeFound(valueAt(raw, issue.path))}` };
  });
}

function setPath(root: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Validate an already-parsed object (e.g. from a test) with optional overrides. */
export function parseConfig(raw: unknown, source = '(inline)', overrides: readonly ConfigOverride[] = []): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '(top level)', message: `expected a mapping of settings, found ${describeFound(raw)}` }]);
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const flags = new Map<string, string>();
  for (const o of overrides) {
    if (o.value === undefined) continue;
    setPath(merged, o.path, o.value);
    if (o.flag) flags.set(o.path, o.flag);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(source, toConfigIssues(result.error, merged, flags));
  return fillTraceCounts(result.data, source);
}

/** The ConfigError of a configuration file that cannot be read or written: `(file): cannot read it (ENOENT)`. */
export function fileError(file: string, what: 'read' | 'write', cause: unknown): ConfigError {
  return new ConfigError(
    file,
    [{ path: '(file)', message: `cannot ${what} it (${(cause as NodeJS.ErrnoException).code ?? String(cause)})` }],
    {
      cause,
    },
  );
}

/** A configuration file's text; an unreadable file is a ConfigError naming it. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw fileError(file, 'read', cause);
  }
}

/** A YAML file as plain data. An unreadable file or a syntax error is a ConfigError naming the file and line. */
export function readYamlFile(file: string): unknown {
  const doc = parseDocument(readConfigText(file));
  const first = doc.errors[0];
  if (first) {
    // One line with the position: the parser's later errors follow from the first (one
    // mis-indented line gave 2 to 10 of them), and its message repeats the position.
    const at = first.linePos?.[0];
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(file, [{ path: `line ${at?.line ?? 0}, column ${at?.col ?? 0}`, message: `YAML syntax: ${message}` }]);
  }
  return doc.toJS() ?? {};
}

/** Read, parse and validate a configuration file. Throws ConfigError, never a raw error. */
export function loadConfig(file: string, overrides: readonly ConfigOverride[] = []): Config {
  return parseConfig(resolveTraceFiles(readYamlFile(file), dirname(file)), file, overrides);
}

/** Stable short hash of a resolved configuration (recorded with models and runs). */
export function configHash(config: Config): string {
  // The autoscale: block only says how a policy runs against a live farm, never what it learns or
  // how an episode runs: left out, so adding or tuning it does not invalidate a trained model.
  const text = JSON.stringify({ ...config, autoscale: undefined });
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0')).slice(0, 16);
}
