/**
 * Run directories: one per command that trains, evaluates or compares.
 *
 * Invariants:
 * - `path` exists once `createRunDir` returns; a path that cannot be created is a UsageError
 *   naming it and the reason (paths.ts), never an endless mkdir.
 * - With `out`, the run directory is exactly `out` (created if missing, reused if present).
 *   Without it, it is a new directory `<base>/<prefix>_<UTC YYYYMMDD_HHMMSS>`; if that name is
 *   taken (two runs in the same second) a suffix `_2`, `_3`, ... is added. The name is claimed
 *   with a non-recursive mkdir, so two processes never share one.
 * - File names are relative to the run directory and may contain sub-folders (`logs/x.log`);
 *   they may not be absolute or climb out with `..`.
 * - JSONL rows are buffered and reach the disk on `flush()`, `close()`, or when a buffer passes
 *   500 rows or 2 s; the first write to a JSONL file in a session replaces an older file of
 *   that name, so reusing `--out` never mixes two runs' rows.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { makeDirs } from './paths.js';

/** A CSV cell: numbers and booleans are written as they print, null/undefined as empty. */
export type CsvValue = string | number | boolean | null | undefined;

export interface RunDir {
  /** Absolute path of this directory. */
  readonly path: string;
  /** Absolute path of a file in this directory (its folder is not created). */
  file(name: string): string;
  /** Pretty-printed JSON plus a newline. Returns the file's path. */
  writeJson(name: string, data: unknown): string;
  /** Buffers one JSON line; see the module invariants for when it is written. */
  appendJsonl(name: string, row: unknown): void;
  writeText(name: string, text: string): string;
  /** Header = union of the rows' keys in first-seen order, unless `columns` is given. */
  writeCsv(name: string, rows: ReadonlyArray<Record<string, CsvValue>>, columns?: readonly string[]): string;
  /** A sub-directory sharing this run's JSONL buffers (closing the parent flushes it too). */
  subdir(name: string): RunDir;
  flush(): void;
  /** Flushes every buffer; the RunDir stays usable (later appends go on appending). */
  close(): void;
}

export interface CreateRunDirOptions {
  /** Use exactly this directory (the `--out` flag). */
  out?: string;
  /** Parent of generated run directories. Default `runs`. */
  base?: string;
  /** Name prefix of generated run directories, e.g. `compare`, `sarsa_run`. */
  prefix: string;
  /** Clock for the directory name; injectable for tests. */
  now?: () => Date;
}

const FLUSH_ROWS = 500;
const FLUSH_MS = 2000;

/** `20251119_112155` for 2025-11-19T11:21:55Z. */
export function utcStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
  );
}

export function createRunDir(options: CreateRunDirOptions): RunDir {
  if (options.out !== undefined) {
    return openRunDir(makeDirs(options.out, '--out'), new JsonlBuffers());
  }
  const base = makeDirs(options.base ?? 'runs', 'run directory base');
  const stem = `${options.prefix}_${utcStamp((options.now ?? (() => new Date()))())}`;
  for (let n = 1; ; n++) {
    const path = join(base, n === 1 ? stem : `${stem}_${n}`);
    try {
      mkdirSync(path);
      return openRunDir(path, new JsonlBuffers());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Pending JSONL lines per absolute file path, shared by a run directory and its subdirs. */
class JsonlBuffers {
  private readonly pending = new Map<string, string[]>();
  private readonly started = new Set<string>();
  private lastFlush = Date.now();

  add(file: string, line: string): void {
    let lines = this.pending.get(file);
    if (!lines) {
      lines = [];
      this.pending.set(file, lines);
    }
    lines.push(line);
    if (lines.length >= FLUSH_ROWS || Date.now() - this.lastFlush >= FLUSH_MS) this.flush();
  }

  flush(): void {
    for (const [file, lines] of this.pending) {
      if (lines.length === 0) continue;
      const text = lines.join('');
      mkdirSync(dirname(file), { recursive: true });
      if (this.started.has(file)) appendFileSync(file, text);
      else writeFileSync(file, text);
      this.started.add(file);
      lines.length = 0;
    }
    this.lastFlush = Date.now();
  }
}

function openRunDir(root: string, buffers: JsonlBuffers): RunDir {
  const file = (name: string): string => {
    const normal = normalize(name);
    if (name === '' || isAbsolute(name) || normal === '..' || normal.startsWith(`..${sep}`)) {
      throw new Error(`run file name must be relative and stay inside the run directory, got "${name}"`);
    }
    return join(root, normal);
  };
  const write = (name: string, text: string): string => {
    const path = file(name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  return {
    path: root,
    file,
    writeJson: (name, data) => write(name, `${JSON.stringify(data, null, 2)}\n`),
    appendJsonl: (name, row) => buffers.add(file(name), `${JSON.stringify(row)}\n`),
    writeText: write,
    writeCsv: (name, rows, columns) => write(name, toCsv(rows, columns)),
    subdir: (name) => {
      const path = file(name);
      mkdirSync(path, { recursive: true });
      return openRunDir(path, buffers);
    },
    flush: () => buffers.flush(),
    close: () => buffers.flush(),
  };
}

function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row and `\n` line ends. */
export function toCsv(rows: ReadonlyArray<Record<string, CsvValue>>, columns?: readonly string[]): string {
  const header = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(header.map((key) => csvCell(row[key])).join(','));
  return `${lines.join('\n')}\n`;
}
