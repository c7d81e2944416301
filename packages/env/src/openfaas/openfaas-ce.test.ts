/**
 * The openfaas backend against the fake cluster as each `scripts/cluster-up.sh --mode` leaves it
 * (issue 19): OpenFaaS CE with its 5-replica cap, and plain Deployments beside it. A real
 * redis-server; "pods" run the real function loops (farm hostRole) in this process.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, loadScenario, parseConfig, type Config, type ConfigOverride } from '@autofarm/core';
import { until } from '@autofarm/farm/testing';
import { FarmEnv } from '../farm-env.js';
import { fakeImage, type FakeCluster, type FakeClusterOptions } from '../testing/fake-cluster.js';
import { useClusterFarm } from '../testing/cluster-farm.js';
import { FunctionCluster, loadKube } from './kube.js';
import type { OpenFaasBackend } from './openfaas-backend.js';
import { connectOpenFaas } from './preflight.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const images = ['emitter', 'worker', 'collector'].map(fakeImage);

const farm = useClusterFarm('af-ce-');

async function cluster(options: FakeClusterOptions): Promise<FakeCluster> {
  const f = await farm.start({ coldStartMs: 50, ...options });
  await until(() => ['emitter', 'worker', 'collector'].every((fn) => f.podsOf(fn).some((p) => p.ready)) || undefined, {
    what: 'a ready pod of every function',
  });
  return f;
}

/** Settings that point the backend at this test's Redis and fake, and keep an episode short. */
function wiring(f: FakeCluster, gateway = f.gatewayUrl): ConfigOverride[] {
  return [
    { path: 'redis', value: { host: farm.redis.host, port: farm.redis.port } },
    { path: 'openfaas', value: { gateway, scale_down_timeout: 10 } },
    { path: 'episode', value: { step_duration: 1, observation_window: 1, max_steps: 40 } },
  ];
}

/** A 5 s workload (the canonical shape would take 240 s of real time per episode). */
const shortPhases: ConfigOverride = {
  path: 'workload.phases',
  value: [
    { name: 'a', pattern: 'steady', multiplier: 1, duration: 3 },
    { name: 'b', pattern: 'steady', multiplier: 2, duration: 2 },
  ],
};

async function newBackend(config: Config, f: FakeCluster): Promise<OpenFaasBackend> {
  const env = { AUTOFARM_KUBECONFIG: f.writeKubeconfig(farm.dir), OPENFAAS_PASSWORD: f.gatewayAuth.password };
  const targets = await connectOpenFaas(config, { env, home: farm.dir, capSettleMs: 300 });
  return farm.backendFor(config, targets, 30_000);
}

/** Steps until the episode ends; returns the last step's info. */
async function runEpisode(env: FarmEnv, actions: number[], seed: number) {
  await env.reset({ seed });
  for (let i = 0; ; i++) {
    const r = await env.step(actions[i] ?? 0);
    if (r.terminated || r.truncated) return r;
  }
}

describe('the openfaas backend on OpenFaaS CE (fake in CE mode)', () => {
  it('with 32 workers, stops before any episode with one line naming the 5-replica cap and the fix', async () => {
    const f = await cluster({ edition: 'ce', functions: { emitter: 1, worker: 2, collector: 1 } });
    const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 5 }] } }, '(test)', [
      ...wiring(f),
      { path: 'scaling', value: { min_workers: 1, max_workers: 32, initial_workers: 12 } },
    ]);
    const error = await newBackend(config, f).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^OpenFaaS CE caps function replicas at 5: use --mode deployments, a 5-worker scenario, or OpenFaaS Standard /);
    expect(message).toContain('deployments/worker was set to 32 and faas-netes put it back to 5');
    expect(f.clamps).toContainEqual({ name: 'worker', from: 32, to: 5 });
    // The probe put the worker back where it found it, and no episode was announced.
    expect(f.scaleWrites.at(-1)).toEqual({ name: 'worker', replicas: 2 });
    expect(await farm.factory('assert').keys('*')).toEqual([]);
  });

  it('runs an episode of the 5-worker scenario (scenarios/five-workers.yml) within the cap, losing no task', async () => {
    const f = await cluster({ edition: 'ce', functions: { emitter: 1, worker: 4, collector: 1 } });
    const { config } = loadScenario('five-workers', { base: join(root, 'configuration.yml'), overrides: [...wiring(f), shortPhases] });
    expect(config.scaling).toMatchObject({ max_workers: 5, initial_workers: 4 });
    const env = new FarmEnv(config, await newBackend(config, f));
    const last = await runEpisode(env, [1, 1, 0, -1, -1, 1], 21);
    expect(last.terminated).toBe(true);
    const m = last.info.metrics;
    expect(m.collectedTotal).toBe(m.tasksPlanned);
    expect(m.deadLetters).toBe(0);
    expect(Math.max(...f.scaleWrites.map((w) => w.replicas))).toBe(5);
    expect(f.clamps).toEqual([]);
    await env.close();
    farm.backend = null;
  });

  it('reads the count back every step: a clamp mid-episode stops it with the cap message', async () => {
    const f = await cluster({ edition: 'ce', functions: { emitter: 1, worker: 5, collector: 1 } });
    const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 20 }] } }, '(test)', [
      ...wiring(f),
      { path: 'scaling', value: { min_workers: 1, max_workers: 8, initial_workers: 5 } },
    ]);
    // Past the preflight (which would refuse 8 workers): the backend alone must notice.
    const { dir, redis } = farm;
    const kube = new FunctionCluster(loadKube(null, { KUBECONFIG: f.writeKubeconfig(dir) }, dir), 'openfaas-fn');
    const targets = {
      cluster: kube,
      gateway: null as never,
      redis: { host: redis.host, port: redis.port, password: null, tls: false, db: 0 },
    };
    const backend = farm.backendFor(config, targets, 30_000);
    const env = new FarmEnv(config, backend);
    await env.reset({ seed: 3 });
    await expect(env.step(1)).rejects.toThrow(/^OpenFaaS CE caps function replicas at 5: .*was set to 6 and faas-netes put it back to 5/);
    expect(f.clamps).toEqual([{ name: 'worker', from: 6, to: 5 }]);
  });

  it('says plainly when something else rewrites the count (an HPA, kubectl scale)', async () => {
    const f = await cluster({ deployedBy: 'kubectl', functions: { emitter: 1, worker: 3, collector: 1 } });
    const config = parseConfig({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 20 }] } }, '(test)', [
      ...wiring(f),
      { path: 'scaling', value: { min_workers: 1, max_workers: 8, initial_workers: 3 } },
    ]);
    const env = new FarmEnv(config, await newBackend(config, f));
    await env.reset({ seed: 4 });
    const { dir } = farm;
    await new FunctionCluster(loadKube(null, { KUBECONFIG: f.writeKubeconfig(dir) }, dir), 'openfaas-fn').setReplicas('worker', 7);
    await expect(env.step(0)).rejects.toThrow(
      /^something else changed deployments\/worker's replicas from 3 to 7 \(an HPA, KEDA or OpenFaaS's own autoscaler\?\)/,
    );
  });
});

describe('the openfaas backend on plain Deployments (--mode deployments, CE installed beside them)', () => {
  it('runs a 32-worker episode: no faas_function label, so nothing clamps, and no gateway is needed', async () => {
    const f = await cluster({
      deployedBy: 'kubectl',
      edition: 'ce',
      registry: [],
      nodeImages: images,
      functions: { emitter: 1, worker: 4, collector: 1 },
    });
    // No gateway at all (port 9 refuses): this mode never goes through OpenFaaS.
    const config = parseConfig({ workload: { base_rate: 600, phases: [] } }, '(test)', [
      ...wiring(f, 'http://127.0.0.1:9'),
      shortPhases,
      { path: 'scaling', value: { min_workers: 1, max_workers: 32, initial_workers: 32 } },
    ]);
    const env = new FarmEnv(config, await newBackend(config, f));
    const last = await runEpisode(env, [], 8);
    expect(last.terminated).toBe(true);
    expect(last.info.workers).toBe(32);
    const m = last.info.metrics;
    expect(m.collectedTotal).toBe(m.tasksPlanned);
    expect(f.replicasOf('worker')).toBe(32);
    expect(f.podsOf('worker').filter((p) => p.ready)).toHaveLength(32);
    expect(f.clamps).toEqual([]);
    expect(f.requests.filter((r) => r.includes('gateway'))).toEqual([]);
    await env.close();
    farm.backend = null;
  }, 120_000);
});
