/**
 * scripts/cluster-up.sh with stand-in kubectl, kind, helm, faas-cli and docker on PATH
 * (testing/stand-ins.ts): which kubeconfig every call uses whatever the caller's environment,
 * token renewal alone, and re-runs that leave running functions alone (issue 19).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@autofarm/farm/testing';
import { standIns, type StandIns } from './testing/stand-ins.js';

const scripts = fileURLToPath(new URL('.', import.meta.url));
const made: StandIns[] = [];

/** Stand-ins, a HOME whose ~/.autofarm/env has been sourced (KUBECONFIG included, as before issue 19), and free ports. */
async function setup() {
  const s = standIns();
  made.push(s);
  const state = join(s.home, '.autofarm');
  mkdirSync(state, { recursive: true });
  const scaler = join(state, 'scaler.kubeconfig');
  writeFileSync(scaler, 'the scaler kubeconfig\n');
  const env: Record<string, string> = {
    PATH: s.path,
    HOME: s.home,
    STANDIN_LOG: s.log,
    // What `source ~/.autofarm/env` left in the shell (the old file exported KUBECONFIG too).
    KUBECONFIG: scaler,
    AUTOFARM_KUBECONFIG: scaler,
    REDIS_PASSWORD: 'redis-pw',
    AUTOFARM_REDIS_PORT: String(await freePort()),
    AUTOFARM_GATEWAY_PORT: String(await freePort()),
  };
  const run = (args: string[], more: Record<string, string> = {}) =>
    spawnSync('/bin/bash', [join(scripts, 'cluster-up.sh'), ...args], { env: { ...env, ...more }, encoding: 'utf8', timeout: 60_000 });
  const down = () =>
    spawnSync('/bin/bash', [join(scripts, 'cluster-down.sh'), '--forwards-only'], { env, encoding: 'utf8', timeout: 20_000 });
  return { s, state, scaler, admin: join(state, 'admin.kubeconfig'), run, down };
}

afterEach(() => {
  for (const s of made.splice(0)) rmSync(dirname(s.path), { recursive: true, force: true });
});

describe('cluster-up.sh with stand-in tools', () => {
  it('after `source ~/.autofarm/env`, --forward-only still uses its own admin kubeconfig', async () => {
    const { s, admin, run, down } = await setup();
    try {
      const r = run(['--forward-only']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/port-forward redis: 127\.0\.0\.1:\d+ -> redis\/redis-master:6379/);
      // Deployments mode (the default) has no gateway to forward.
      expect(r.stdout).not.toMatch(/port-forward gateway/);
      const calls = s.calls();
      expect(calls).toContainEqual({
        tool: 'kind',
        args: `export kubeconfig --name autofarm --kubeconfig ${admin}`,
        env: `KUBECONFIG=${admin}`,
      });
      const kubectl = calls.filter((c) => c.tool === 'kubectl');
      expect(kubectl.length).toBeGreaterThan(0);
      for (const c of kubectl) {
        expect(c.env).toBe(`KUBECONFIG=${admin}`);
        expect(c.args).toMatch(new RegExp(`^--kubeconfig ${admin} --context kind-autofarm `));
      }
    } finally {
      expect(down().stdout).toMatch(/stopped the redis port-forward/);
    }
  });

  it('--renew-token renews only the scaler token and writes AUTOFARM_KUBECONFIG, never KUBECONFIG', async () => {
    const { s, state, scaler, admin, run } = await setup();
    const r = run(['--renew-token']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const env = readFileSync(join(state, 'env'), 'utf8');
    expect(env).toContain(`export AUTOFARM_KUBECONFIG="${scaler}"`);
    expect(env).toContain('export REDIS_PASSWORD="redis-pw"');
    expect(env).not.toMatch(/^export KUBECONFIG=/m);
    expect(readFileSync(scaler, 'utf8')).toContain('set-credentials autofarm-scaler --token tok-123');
    const calls = s.calls();
    expect(calls.map((c) => c.tool).filter((t) => !['kind', 'kubectl'].includes(t))).toEqual([]);
    expect(calls).toContainEqual({
      tool: 'kubectl',
      args: `--kubeconfig ${admin} --context kind-autofarm -n openfaas-fn create token autofarm-scaler --duration=24h`,
      env: `KUBECONFIG=${admin}`,
    });
    expect(calls.filter((c) => / apply /.test(c.args))).toEqual([]);
    expect(existsSync(join(state, 'port-forward-redis.pid'))).toBe(false);
  });

  it('re-running in deployments mode leaves the functions alone, and restarts one only when its image changed', async () => {
    const { s, run, down, admin } = await setup();
    try {
      const first = run(['--skip-build'], { STANDIN_IMAGE_ID: 'sha256:aaa' });
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/farm is up \(deployments\)/);
      const again = run(['--skip-build'], { STANDIN_IMAGE_ID: 'sha256:aaa' });
      expect(again.status).toBe(0);
      expect(s.calls().filter((c) => c.args.includes('rollout restart'))).toEqual([]);
      expect(s.calls().filter((c) => c.tool === 'helm' || c.tool === 'faas-cli')).toEqual([]);
      expect(s.calls()).toContainEqual({
        tool: 'kubectl',
        args: expect.stringMatching(new RegExp(`^--kubeconfig ${admin} --context kind-autofarm apply -k .*/deploy/functions$`)),
        env: `KUBECONFIG=${admin}`,
      });
      const rebuilt = run(['--skip-build'], { STANDIN_IMAGE_ID: 'sha256:bbb' });
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stdout).toMatch(/restarting worker: its image changed/);
      expect(
        s
          .calls()
          .filter((c) => c.args.includes('rollout restart'))
          .map((c) => c.args.split(' ').at(-1)),
      ).toEqual(['deployment/emitter', 'deployment/worker', 'deployment/collector']);
    } finally {
      down();
    }
  });

  it('openfaas-ce: deploys only missing functions, with the worker capped at 5, and says what it left running', async () => {
    const { s, run, down } = await setup();
    try {
      const r = run(['--mode', 'openfaas-ce', '--skip-build'], { AUTOFARM_REGISTRY: 'ghcr.io/someone', STANDIN_MISSING: 'worker' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/left running: emitter collector \(same image; --redeploy/);
      const deploys = s.calls().filter((c) => c.tool === 'faas-cli' && c.args.startsWith('deploy'));
      expect(deploys.map((c) => c.args)).toEqual([expect.stringMatching(/--filter worker$/)]);
      expect(deploys[0]?.env).toMatch(/AUTOFARM_REGISTRY=ghcr\.io\/someone AUTOFARM_WORKER_MAX=5$/);
      expect(s.calls().find((c) => c.tool === 'helm' && c.args.startsWith('upgrade'))?.args).toMatch(/--kubeconfig \S+admin\.kubeconfig/);
      expect(r.stdout).toMatch(/--scenario five-workers/);
    } finally {
      down();
    }
  });

  it('refuses in one line, exit 2: unknown mode, CE without a public registry, a mode switch in place, a foreign kind', async () => {
    const { run, state } = await setup();
    const bad = run(['--mode', 'openfaas']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("cluster-up.sh: --mode: expected deployments, openfaas-ce or openfaas-pro, found 'openfaas'\n");
    const ce = run(['--mode', 'openfaas-ce']);
    expect(ce.status).toBe(2);
    expect(ce.stderr).toMatch(/--mode openfaas-ce needs AUTOFARM_REGISTRY: a public registry path/);
    const pro = run(['--mode', 'openfaas-pro'], { OPENFAAS_LICENSE_FILE: '/nonexistent/LICENSE' });
    expect(pro.status).toBe(2);
    expect(pro.stderr).toMatch(/needs an OpenFaaS Standard\/Enterprise licence: no file \/nonexistent\/LICENSE/);
    writeFileSync(join(state, 'mode'), 'deployments\n');
    const switching = run(['--mode', 'openfaas-ce'], { AUTOFARM_REGISTRY: 'ghcr.io/someone' });
    expect(switching.status).toBe(2);
    expect(switching.stderr).toMatch(/set up with --mode deployments; run scripts\/cluster-down\.sh first to switch to --mode openfaas-ce/);
    const kind = run([], { STANDIN_NO_CLUSTER: '1', STANDIN_KIND_VERSION: 'v0.29.0' });
    expect(kind.status).toBe(2);
    expect(kind.stderr).toMatch(/kind v0\.29\.0 found, but the pinned node image is built for kind v0\.24\.0/);
  });
});
