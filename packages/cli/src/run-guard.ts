/**
 * One run per output directory. A command's `--out` directory must be empty or new (else the
 * old run's files, say an `*_interrupt.json`, would sit beside the new ones and read as this
 * run's), unless `--force`; and while a run writes there it holds a lock file created with
 * O_EXCL, so a second run into the same directory stops at once instead of both printing
 * "wrote ..." over each other's files (issue 22 item 13). The lock goes at the end of the
 * command, or at process exit (Ctrl-C included).
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@autofarm/core';
import { makeDirs } from '@autofarm/runs';

export const LOCK_FILE = '.autofarm-run.lock';

interface LockOwner {
  pid: number;
  command: string;
  started: string;
}

function readOwner(lock: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** Whether a process with this id runs (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claim `dir` for `command`, creating it if missing (and removing it again on release if
 * the run left it empty). Throws a UsageError naming the flag when another live run holds it,
 * or when it already holds files and `force` is not set. Returns the release function
 * (idempotent).
 */
export function claimOutDir(dir: string, options: { command: string; force?: boolean; flag?: string }): () => void {
  const flag = options.flag ?? '--out';
  const created = !existsSync(dir);
  const abs = makeDirs(dir, flag);
  const lock = join(abs, LOCK_FILE);
  const owner = existsSync(lock) ? readOwner(lock) : null;
  if (owner && alive(owner.pid)) {
    throw new UsageError(
      `${flag} ${dir}: another run (${owner.command}, pid ${owner.pid}, since ${owner.started}) is writing there; choose another directory`,
    );
  }
  const files = readdirSync(abs).filter((f) => f !== LOCK_FILE);
  if (files.length > 0 && !options.force) {
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? `, ... (${files.length} entries)` : '');
    throw new UsageError(`${flag} ${dir}: expected an empty or new directory, found ${shown}; choose another one or add --force`);
  }
  // A lock whose process is gone (killed without cleanup) is replaced; a live one was refused above.
  if (owner) rmSync(lock, { force: true });
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${flag} ${dir}: another run started writing there a moment ago; choose another directory`);
    }
    throw error;
  }
  const record: LockOwner = { pid: process.pid, command: options.command, started: new Date().toISOString() };
  writeSync(fd, `${JSON.stringify(record)}\n`);
  closeSync(fd);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    rmSync(lock, { force: true });
    if (created && readdirSync(abs).length === 0) rmdirSync(abs);
  };
  process.on('exit', release);
  return release;
}
