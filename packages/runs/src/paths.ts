/**
 * Checking a path the user named before any work starts, so a bad one costs one line and
 * exit 2 instead of a stack trace after minutes of training (or, for `/proc/x`, forever: Node's
 * recursive mkdir keeps retrying there because mkdir answers ENOENT under /proc).
 *
 * Every problem is a UsageError whose message names the label (a flag such as `--out`), the
 * path, and the reason, on one line: `--out /etc/passwd/x: /etc/passwd is a file, not a directory`.
 * Nothing is left behind by a check: writability is probed with a temporary directory that is
 * removed at once.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '@autofarm/core';

/** What the path must be: an existing readable file or directory, or a place to write one. */
export type PathKind = 'read-file' | 'read-dir' | 'read-any' | 'write-dir' | 'write-file';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** "permission denied (EACCES)" for an fs error, else its message. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

function stat(path: string): Stats | NodeJS.ErrnoException {
  try {
    return statSync(path);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function fail(label: string, path: string, reason: string): never {
  throw new UsageError(`${label} ${path}: ${reason}`);
}

/** The nearest existing ancestor of `abs` (itself if it exists); a file on the way is reported. */
function nearestExisting(label: string, path: string, abs: string): { dir: string; exists: boolean } {
  let at = abs;
  for (;;) {
    const s = stat(at);
    if (!(s instanceof Error)) {
      if (!s.isDirectory()) fail(label, path, at === abs ? 'is a file, expected a directory' : `${at} is a file, not a directory`);
      return { dir: at, exists: at === abs };
    }
    if (s.code !== 'ENOENT' && s.code !== 'ENOTDIR') fail(label, path, `cannot look at ${at}: ${fsReason(s)}`);
    const parent = dirname(at);
    if (parent === at) fail(label, path, fsReason(s));
    at = parent;
  }
}

/**
 * Create and remove a temporary directory in `dir`: the one test of writability that /proc,
 * read-only mounts and ACLs all answer truthfully.
 */
function probeWritable(label: string, path: string, dir: string): void {
  let probe: string;
  try {
    probe = mkdtempSync(join(dir, '.autofarm-probe-'));
  } catch (error) {
    fail(label, path, `cannot create anything in ${dir}: ${fsReason(error)}`);
  }
  rmdirSync(probe);
}

/**
 * Throws a UsageError (one line: label, path, reason) unless `path` can be used as `kind`:
 * - read-file / read-dir: exists, is a file / directory, and is readable; read-any: either;
 * - write-dir: is a writable directory, or can be created (its nearest existing ancestor is a
 *   writable directory);
 * - write-file: is not a directory and its directory is, or can be, created and written.
 */
export function checkPath(label: string, path: string, kind: PathKind): void {
  if (path === '') fail(label, '""', 'expected a path, found an empty string');
  const abs = resolve(path);
  if (kind === 'read-file' || kind === 'read-dir' || kind === 'read-any') {
    const s = stat(abs);
    if (s instanceof Error) fail(label, path, s.code === 'ENOENT' ? 'does not exist' : fsReason(s));
    const wantDir = kind === 'read-any' ? s.isDirectory() : kind === 'read-dir';
    if (s.isDirectory() !== wantDir) fail(label, path, wantDir ? 'is a file, expected a directory' : 'is a directory, expected a file');
    try {
      accessSync(abs, wantDir ? constants.R_OK | constants.X_OK : constants.R_OK);
    } catch (error) {
      fail(label, path, `cannot read it: ${fsReason(error)}`);
    }
    return;
  }
  if (kind === 'write-file') {
    const s = stat(abs);
    if (!(s instanceof Error) && s.isDirectory()) fail(label, path, 'is a directory, expected a file');
    const { dir } = nearestExisting(label, path, dirname(abs));
    probeWritable(label, path, dir);
    return;
  }
  const { dir } = nearestExisting(label, path, abs);
  probeWritable(label, path, dir);
}

/**
 * `mkdir -p` that cannot spin: each missing component is created on its own, top down, and
 * any failure is a UsageError naming `path` and the reason. (Node's recursive mkdirSync loops
 * forever under /proc, where mkdir answers ENOENT for a parent that exists.)
 */
export function makeDirs(path: string, label = 'directory'): string {
  const abs = resolve(path);
  const missing: string[] = [];
  for (let at = abs; ; at = dirname(at)) {
    const s = stat(at);
    if (!(s instanceof Error)) {
      if (!s.isDirectory()) fail(label, path, at === abs ? 'is a file, expected a directory' : `${at} is a file, not a directory`);
      break;
    }
    if (dirname(at) === at) fail(label, path, fsReason(s));
    missing.push(at);
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      fail(label, path, `cannot create ${dir}: ${fsReason(error)}`);
    }
  }
  return abs;
}
