import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@autofarm/core';
import { checkPath, makeDirs } from './paths.js';
import { createRunDir } from './run-dir.js';

const scratch = mkdtempSync(join(tmpdir(), 'autofarm-runs-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = join(scratch, 'file');
writeFileSync(aFile, 'x');

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('checkPath', () => {
  it('accepts an existing file / directory to read and a creatable directory to write, leaving nothing behind', () => {
    checkPath('--config', aFile, 'read-file');
    checkPath('--input-dir', scratch, 'read-dir');
    checkPath('--out', join(scratch, 'new', 'deeper'), 'write-dir');
    checkPath('--output', join(scratch, 'plots', 'x.png'), 'write-file');
    expect(readdirSync(scratch)).toEqual(['file']);
  });

  it('names label, path and reason in a one-line UsageError', () => {
    const error = thrown(() => checkPath('--out', join(aFile, 'sub'), 'write-dir'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`--out ${join(aFile, 'sub')}: ${aFile} is a file, not a directory`);
    expect(thrown(() => checkPath('--model', join(scratch, 'nope'), 'read-file')).message).toBe(
      `--model ${join(scratch, 'nope')}: does not exist`,
    );
    expect(thrown(() => checkPath('--output', scratch, 'write-file')).message).toContain('is a directory, expected a file');
    expect(thrown(() => checkPath('--out', '', 'write-dir')).message).toContain('expected a path, found an empty string');
  });

  it('rejects a directory under /proc, where mkdir answers ENOENT', () => {
    expect(thrown(() => checkPath('--out', '/proc/autofarm-check/x', 'write-dir')).message).toMatch(
      /cannot create anything in \/proc: .*ENOENT/,
    );
  });
});

describe('makeDirs', () => {
  it('creates every missing level and returns the absolute path', () => {
    const path = makeDirs(join(scratch, 'a', 'b', 'c'));
    expect(statSync(path).isDirectory()).toBe(true);
    expect(makeDirs(path)).toBe(path);
  });

  it('fails at once under /proc instead of looping like a recursive mkdir', () => {
    // An endless mkdir would never return: the test timeout, not a wall-clock bound, catches it.
    expect(thrown(() => makeDirs('/proc/autofarm-x/y', '--out'))).toBeInstanceOf(UsageError);
    expect(existsSync('/proc/autofarm-x')).toBe(false);
  });

  it('is what createRunDir uses for --out, so a file in the way is a UsageError', () => {
    expect(thrown(() => createRunDir({ out: join(aFile, 'run'), prefix: 'x' }))).toBeInstanceOf(UsageError);
  });
});
