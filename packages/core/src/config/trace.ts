/**
 * Trace files for `pattern: trace` phases: a CSV of arrival counts, one interval per line. The
 * loader resolves each phase's `trace.file` against the file that names it and reads the counts
 * into `trace.counts`, so the resolved configuration (run.json) carries the trace itself.
 *
 * Format: the LAST column of each line is the count (so `minute,count` and a bare `count` both
 * work); a first line that is not a number is a header; blank lines and `#` comments are skipped.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Config } from './schema.js';

/** Counts from a trace CSV's text; throws ConfigError naming the line of a bad count. */
export function parseTraceCsv(text: string, source: string): number[] {
  const counts: number[] = [];
  const issues: ConfigIssue[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cell = (trimmed.split(',').at(-1) ?? '').trim().replace(/^"|"$/g, '');
    const n = Number(cell);
    if (cell === '' || !Number.isFinite(n) || n < 0) {
      if (counts.length === 0 && issues.length === 0 && !/^[-+.\d]/.test(cell)) return; // header
      issues.push({ path: `line ${i + 1}`, message: `expected a count >= 0 in the last column, found "${cell}"` });
      return;
    }
    counts.push(n);
  });
  if (issues.length === 0 && counts.length === 0) issues.push({ path: '(file)', message: 'expected at least one count, found none' });
  if (issues.length > 0) throw new ConfigError(source, issues.slice(0, 10));
  return counts;
}

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A copy of a raw (unvalidated) configuration whose relative `trace.file`s are made relative to `dir`. */
export function resolveTraceFiles(raw: unknown, dir: string): unknown {
  if (!isMapping(raw) || !isMapping(raw.workload) || !Array.isArray(raw.workload.phases)) return raw;
  const out = structuredClone(raw) as Mapping & { workload: Mapping & { phases: unknown[] } };
  for (const phase of out.workload.phases) {
    if (isMapping(phase) && isMapping(phase.trace) && typeof phase.trace.file === 'string' && !isAbsolute(phase.trace.file)) {
      phase.trace.file = join(dir, phase.trace.file);
    }
  }
  return out;
}

/** Read the counts of every trace phase that names a file (validated config; mutates it). */
export function fillTraceCounts(config: Config, source: string): Config {
  const issues: ConfigIssue[] = [];
  config.workload.phases.forEach((phase, i) => {
    const file = phase.trace?.file;
    if (phase.pattern !== 'trace' || !phase.trace || file === undefined) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      issues.push({
        path: `workload.phases[${i}].trace.file`,
        message: `cannot read "${file}" (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      });
      return;
    }
    phase.trace.counts = parseTraceCsv(text, file);
  });
  if (issues.length > 0) throw new ConfigError(source, issues);
  return config;
}
