import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const scripts = fileURLToPath(new URL('.', import.meta.url));
const ours = ['cluster-lib.sh', 'cluster-steps.sh', 'cluster-up.sh', 'cluster-down.sh', 'build-functions.sh'];
const bash = '/bin/bash';
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A PATH holding only the basic utilities the scripts use before checking prerequisites, plus fakes. */
function fakePath(fakes: Record<string, string> = {}): { path: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), 'af-path-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['dirname', 'basename', 'cat', 'tr', 'grep', 'ps', 'rm', 'sed', 'mkdir', 'sleep', 'awk', 'seq']) {
    const found = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(bin, tool));
  }
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { path: bin, home: join(dir, 'home') };
}

function run(script: string, args: string[], env: Record<string, string>) {
  return spawnSync(bash, [join(scripts, script), ...args], {
    env: { ...env, AUTOFARM_STATE_DIR: join(env.HOME ?? tmpdir(), '.autofarm') },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the cluster scripts', () => {
  it.each(ours)('%s passes bash -n', (script) => {
    const r = spawnSync(bash, ['-n', join(scripts, script)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('pass shellcheck (following the sourced files)', () => {
    const r = spawnSync('shellcheck', ['-x', ...ours.map((s) => join(scripts, s))], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.error, 'shellcheck must be installed (apt-get install shellcheck)').toBeUndefined();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('cluster-up.sh names every missing prerequisite with where to get it, and exits 2', () => {
    const { path, home } = fakePath();
    const r = run('cluster-up.sh', [], { PATH: path, HOME: home });
    expect(r.status).toBe(2);
    // The default mode (deployments) installs no OpenFaaS: no helm, no curl.
    expect(r.stderr).toMatch(/missing prerequisites: docker kind kubectl faas-cli node pnpm\n/);
    expect(r.stderr).toMatch(/kind\s+https:\/\/kind\.sigs\.k8s\.io\S* \(v0\.24\.0\)/);
    expect(r.stderr).toMatch(/faas-cli\s+https:\/\/github\.com\/openfaas\/faas-cli/);
    const ce = run('cluster-up.sh', ['--mode', 'openfaas-ce'], { PATH: path, HOME: home });
    expect(ce.status).toBe(2);
    expect(ce.stderr).toMatch(/missing prerequisites: docker kind kubectl helm faas-cli node pnpm curl\n/);
  });

  it('cluster-up.sh says so when docker is installed but its daemon does not answer', () => {
    const ok = 'exit 0';
    const { path, home } = fakePath({ docker: 'exit 1', kind: ok, kubectl: ok, helm: ok, 'faas-cli': ok, node: ok, pnpm: ok, curl: ok });
    const r = run('cluster-up.sh', [], { PATH: path, HOME: home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/docker is installed but its daemon does not answer/);
  });

  it('build-functions.sh --stage-only needs only node and pnpm', () => {
    const { path, home } = fakePath({ node: 'exit 0' });
    const r = run('build-functions.sh', ['--stage-only'], { PATH: path, HOME: home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing prerequisites: pnpm\n/);
  });

  it('build-functions.sh refuses an unknown function name', () => {
    const { path, home } = fakePath();
    const r = run('build-functions.sh', ['--filter', 'gateway'], { PATH: path, HOME: home });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown function gateway/);
  });

  it('cluster-down.sh stops its own port-forwards and leaves an unrelated process that reused a pid alone', async () => {
    const { path, home } = fakePath();
    const state = join(home, '.autofarm');
    mkdirSync(state, { recursive: true });
    const forward = spawn(bash, ['-c', 'exec -a "kubectl port-forward svc/gateway 8080:8080" sleep 30'], { stdio: 'ignore' });
    const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(state, 'port-forward-gateway.pid'), String(forward.pid));
      writeFileSync(join(state, 'port-forward-redis.pid'), String(unrelated.pid));
      const exited = new Promise((resolve) => forward.once('exit', resolve));
      const r = run('cluster-down.sh', ['--forwards-only'], { PATH: path, HOME: home });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/stopped the gateway port-forward/);
      await exited;
      expect(unrelated.exitCode).toBeNull();
      expect(existsSync(join(state, 'port-forward-gateway.pid'))).toBe(false);
      expect(existsSync(join(state, 'port-forward-redis.pid'))).toBe(false);
    } finally {
      forward.kill('SIGKILL');
      unrelated.kill('SIGKILL');
    }
  });

  it.each(['cluster-up.sh', 'cluster-down.sh', 'build-functions.sh'])('%s --help explains itself and exits 0', (script) => {
    const { path, home } = fakePath();
    const r = run(script, ['--help'], { PATH: path, HOME: home });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect(r.stdout).not.toMatch(/^#|set -euo|shellcheck/m);
  });
});
