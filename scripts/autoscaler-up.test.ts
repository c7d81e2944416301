import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./autoscaler-up.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'af-autoscaler-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PATH with the basic utilities only: no kubectl, kind or docker. */
function bareEnv() {
  const bin = join(dir, 'bin');
  if (existsSync(bin)) return { PATH: bin, HOME: dir };
  mkdirSync(bin);
  for (const tool of ['dirname', 'cat', 'sed', 'awk', 'basename']) {
    const found = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(bin, tool));
  }
  return { PATH: bin, HOME: dir };
}

const run = (args: string[]) => spawnSync('/bin/bash', [script, ...args], { env: bareEnv(), encoding: 'utf8', timeout: 20_000 });

describe('scripts/autoscaler-up.sh', () => {
  it('passes bash -n and shellcheck', () => {
    expect(spawnSync('/bin/bash', ['-n', script], { encoding: 'utf8' }).status).toBe(0);
    const r = spawnSync('shellcheck', ['-x', script], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.error, 'shellcheck must be installed').toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
  });

  it('--help explains itself and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: scripts/autoscaler-up.sh POLICY');
    expect(r.stdout).not.toMatch(/^#|set -euo/m);
  });

  it('without a policy, or without kubectl, says so in one line and exits 2', () => {
    let r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('usage: scripts/autoscaler-up.sh POLICY');
    r = run(['kpa']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing prerequisites: .*kubectl/);
  });
});
