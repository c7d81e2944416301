import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { claimOutDir, LOCK_FILE } from './run-guard.js';
import { captureOutput, SHIPPED_CONFIG } from './testing/index.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'autofarm-guard-'));

describe('claimOutDir', () => {
  it('lets one run hold a directory and refuses a second until the first releases it', () => {
    const dir = join(scratch(), 'run');
    const release = claimOutDir(dir, { command: 'compare-policies' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'compare-policies' });
    expect(() => claimOutDir(dir, { command: 'benchmark', force: true })).toThrow(
      new RegExp(`--out ${dir}: another run \\(compare-policies, pid ${process.pid}, since .*\\) is writing there`),
    );
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(existsSync(dir)).toBe(false); // created by the claim and left empty: removed again
    claimOutDir(dir, { command: 'benchmark' })();
  });

  it('refuses a directory that holds files unless forced, and names what it found', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'sarsa_interrupt.json'), '{}');
    expect(() => claimOutDir(dir, { command: 'train-sarsa' })).toThrow(
      `--out ${dir}: expected an empty or new directory, found sarsa_interrupt.json; choose another one or add --force`,
    );
    const release = claimOutDir(dir, { command: 'train-sarsa', force: true });
    release();
    expect(existsSync(join(dir, 'sarsa_interrupt.json'))).toBe(true);
  });

  it('takes over the lock of a run whose process is gone', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'sub'));
    // pid 2^22 + 1 is above Linux's pid_max limit, so no process has it.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, command: 'benchmark', started: 'then' }));
    expect(() => claimOutDir(dir, { command: 'benchmark' })).toThrow(/found sub/);
    const release = claimOutDir(dir, { command: 'benchmark', force: true });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });
});

describe('--out on the command line', () => {
  const io = captureOutput();
  const simulate = (dir: string, ...more: string[]) =>
    main(['node', 'autofarm', 'simulate', '--config', SHIPPED_CONFIG, '--max-steps', '3', '--out', dir, ...more]);

  it('refuses a reused run directory (exit 2) unless --force, and leaves no lock behind', async () => {
    const dir = scratch();
    expect(await simulate(dir)).toBe(0);
    expect(await simulate(dir)).toBe(2);
    expect(io.err).toContain(
      `--out ${dir}: expected an empty or new directory, found steps.jsonl, summary.json; choose another one or add --force`,
    );
    expect(await simulate(dir, '--force')).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('lets exactly one of two concurrent runs into one directory write it', async () => {
    const dir = join(scratch(), 'shared');
    const run = (agent: string) =>
      main([
        'node',
        'autofarm',
        'compare-policies',
        '--config',
        SHIPPED_CONFIG,
        '--max-steps',
        '3',
        '--agents',
        agent,
        '--episodes',
        '1',
        '--out',
        dir,
      ]);
    const codes = await Promise.all([run('static'), run('kpa')]);
    expect(codes.sort()).toEqual([0, 2]);
    expect(io.err).toMatch(/--out .*shared: (another run|expected an empty or new directory)/);
  });

  it('offers --force on every command whose --out is a run directory, and not where --out is a file', async () => {
    const { buildProgram } = await import('./main.js');
    const withForce = buildProgram()
      .commands.filter((c) => c.options.some((o) => o.long === '--force'))
      .map((c) => c.name());
    expect(withForce).toEqual(
      expect.arrayContaining(['simulate', 'compare-policies', 'benchmark', 'train-sarsa', 'train-dqn', 'test-sarsa']),
    );
    expect(withForce).not.toContain('convert-trace');
  });
});
