import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureOutput, SHIPPED_CONFIG } from './testing/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'autofarm-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = join(scratch, 'a-file.txt');
writeFileSync(aFile, 'not a directory\n');
const aDir = join(scratch, 'a-dir');
mkdirSync(aDir);
const missing = join(scratch, 'missing');

const episode = ['--config', SHIPPED_CONFIG, '--max-steps', '2'];

/**
 * Runs the CLI; the result must be exit 2 with one line naming `flag`, `path` and a reason. A
 * check that spins (Node's recursive mkdir under /proc) fails by the test timeout, not by a
 * wall-clock bound that a loaded machine would break.
 */
async function rejects(io: { err: string }, args: string[], flag: string, path: string, reason: RegExp): Promise<void> {
  const code = await main(['node', 'autofarm', ...args]);
  expect(code).toBe(2);
  const lines = io.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${flag} ${path}: `);
  expect(lines[0]).toMatch(reason);
}

describe('path flags that cannot be used', () => {
  const io = captureOutput();

  it('--out under a file: exit 2 naming the file, nothing written', async () => {
    await rejects(
      io,
      ['simulate', ...episode, '--workers', '3', '--out', join(aFile, 'x')],
      '--out',
      join(aFile, 'x'),
      /a-file\.txt is a file, not a directory/,
    );
  });

  it('--out under /proc: exit 2 at once instead of an endless mkdir', async () => {
    await rejects(
      io,
      ['simulate', ...episode, '--out', '/proc/autofarm-x'],
      '--out',
      '/proc/autofarm-x',
      /cannot create anything in \/proc/,
    );
    expect(existsSync('/proc/autofarm-x')).toBe(false);
  });

  it('--out that is a file: exit 2 for a training command too, and no run directory appears', async () => {
    const before = readdirSync(scratch);
    await rejects(io, ['train-sarsa', ...episode, '--episodes', '1', '--out', aFile], '--out', aFile, /is a file, expected a directory/);
    expect(readdirSync(scratch)).toEqual(before);
  });

  it('--out (a figure) under /proc: exit 2', async () => {
    await rejects(
      io,
      ['plot-training', aDir, '--out', '/proc/autofarm-x/curves.png'],
      '--out',
      '/proc/autofarm-x/curves.png',
      /cannot create anything in \/proc/,
    );
  });

  it('--config that does not exist, or is a directory: exit 2', async () => {
    await rejects(io, ['simulate', '--config', missing], '--config', missing, /does not exist/);
    io.err = '';
    await rejects(io, ['simulate', '--config', aDir], '--config', aDir, /is a directory, expected a file/);
  });

  it('--model (SARSA file) missing, and --model (DQN directory) given a file: exit 2', async () => {
    await rejects(io, ['test-sarsa', ...episode, '--model', missing], '--model', missing, /does not exist/);
    io.err = '';
    await rejects(io, ['test-dqn', ...episode, '--model', aFile], '--model', aFile, /is a file, expected a directory/);
  });

  it('--resume-model that does not exist: exit 2 saying so (not "cannot read it as JSON")', async () => {
    await rejects(
      io,
      ['train-sarsa', ...episode, '--mode', 'general', '--resume-model', missing],
      '--resume-model',
      missing,
      /does not exist/,
    );
  });

  it('--dqn-model and --replay-file that cannot be read: exit 2 before any episode runs', async () => {
    await rejects(
      io,
      ['compare-policies', ...episode, '--agents', 'dqn', '--dqn-model', missing],
      '--dqn-model',
      missing,
      /does not exist/,
    );
    io.err = '';
    await rejects(
      io,
      ['compare-policies', ...episode, '--agents', 'replay', '--replay-file', aDir],
      '--replay-file',
      aDir,
      /is a directory, expected a file/,
    );
  });

  it('--input-dir and --baseline-cache that are not directories: exit 2', async () => {
    await rejects(io, ['compare-policies', '--plot-only', '--input-dir', aFile], '--input-dir', aFile, /is a file, expected a directory/);
    io.err = '';
    await rejects(
      io,
      ['compare-policies', ...episode, '--agents', 'static', '--baseline-cache', missing],
      '--baseline-cache',
      missing,
      /does not exist/,
    );
  });
});
