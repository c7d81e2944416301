/**
 * The openfaas backend end to end: a real redis-server, the fake Kubernetes API and gateway
 * (real request/response shapes), and "pods" that run the real function loops (farm hostRole,
 * as the node24-longrun template does) in this process.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, queueNames, type Config } from '@autofarm/core';
import { until } from '@autofarm/farm/testing';
import { checkEnv } from '../check-env.js';
import { FarmEnv } from '../farm-env.js';
import { useClusterFarm } from '../testing/cluster-farm.js';

import { ACKED_POD_DELETION_COST, type OpenFaasBackend } from './openfaas-backend.js';
import { connectOpenFaas } from './preflight.js';
import { POD_DELETION_COST } from './kube.js';

const farm = useClusterFarm('af-ofb-', { functions: { emitter: 1, worker: 2, collector: 1 }, coldStartMs: 100 });

/** Resolves once the fake cluster has finished deleting `n` pods (it stops the pod's process first). */
async function deletion(n: number): Promise<void> {
  await until(() => farm.fake.deleted.length >= n, { what: `${n} pod deletion(s)` });
}

function makeConfig(over: Record<string, unknown> = {}): Config {
  return parseConfig({
    workload: {
      base_rate: 120,
      phases: [
        { name: 'a', pattern: 'steady', multiplier: 1, duration: 3 },
        { name: 'b', pattern: 'steady', multiplier: 2, duration: 2 },
      ],
    },
    episode: { step_duration: 1, observation_window: 1, max_steps: 14 },
    // At most 5: above that the preflight probes the replica cap (replica-guard.ts), which
    // these tests of the scaling protocol do not need (openfaas-ce.test.ts covers it).
    scaling: { min_workers: 1, max_workers: 5, initial_workers: 2 },
    redis: { host: farm.redis.host, port: farm.redis.port },
    openfaas: { gateway: farm.fake.gatewayUrl, scale_down_timeout: 10 },
    ...over,
  });
}

async function newBackend(config: Config): Promise<OpenFaasBackend> {
  // As after scripts/cluster-up.sh: every deployed function has its pods up.
  await until(() => ['emitter', 'worker', 'collector'].every((fn) => farm.fake.podsOf(fn).some((p) => p.ready)), {
    what: 'a ready pod of every function',
  });
  const env = { KUBECONFIG: farm.fake.writeKubeconfig(farm.dir), OPENFAAS_PASSWORD: farm.fake.gatewayAuth.password };
  const targets = await connectOpenFaas(config, { env, home: farm.dir });
  return farm.backendFor(config, targets, 20_000);
}

describe('OpenFaasBackend', () => {
  it('passes the environment conformance suite (checkEnv), like local', async () => {
    const config = makeConfig();
    const env = new FarmEnv(config, await newBackend(config));
    const report = await checkEnv(env, { seed: 5, steps: 6 });
    expect(report.deterministicChecked).toBe(false);
    expect(report.steps).toBeGreaterThan(0);
    await env.close();
  });

  it('runs a whole episode with scaling up and down, and loses no task', async () => {
    // A 5 s workload; the step limit leaves a loaded machine ample time to collect the last task.
    const config = makeConfig({ episode: { step_duration: 1, observation_window: 1, max_steps: 40 } });
    const env = new FarmEnv(config, await newBackend(config));
    let r = await env.reset({ seed: 11 });
    expect(r.info.workers).toBe(2);
    const actions = [1, 1, 0, -1, 0, -1, 1, 0, -1];
    let last;
    for (let i = 0; i < 40; i++) {
      last = await env.step(actions[i] ?? 0);
      if (last.terminated || last.truncated) break;
    }
    expect(last?.terminated).toBe(true);
    const m = last?.info.metrics;
    expect(m?.collectedTotal).toBe(m?.tasksPlanned);
    expect(m?.enqueuedTotal).toBe(m?.tasksPlanned);
    expect(m?.deadLetters).toBe(0);
    // The Deployment ended where the policy left it, and only scale writes to the worker were made.
    expect(farm.fake.replicasOf('worker')).toBe(last?.info.workers);
    expect(new Set(farm.fake.scaleWrites.map((w) => w.name))).toEqual(new Set(['worker']));
    void r;
    r = await env.reset({ seed: 12 });
    expect(r.info.workers).toBe(2);
    await env.close();
  });

  it('scales down by removing exactly the idle pod whose worker acknowledged (annotated before replicas drop)', async () => {
    const config = makeConfig({ scaling: { min_workers: 1, max_workers: 5, initial_workers: 3 } });
    const names = queueNames(config.queues);
    const b = await newBackend(config);
    await b.start({ seed: 3, config, initialWorkers: 3 });
    const before = farm.fake.podsOf('worker').map((p) => p.name);
    expect(before).toHaveLength(3);
    // Two workers get a 3 s task each; the third stays idle and must be the one to go.
    const conn = farm.factory('assert');
    const long = (i: number) =>
      JSON.stringify({
        task_id: `long-${i}`,
        task_gen_timestamp: 0,
        task_application: 'image_processing',
        task_priority: 'normal',
        task_expected_duration: 3,
        task_data_size: 4096,
        task_deadline: 6,
        task_processing_time_simulated: 3,
        task_emit_timestamp: 0,
        task_emit_time: 0,
      });
    await conn.lpush(names.worker, long(1), long(2));
    const busy = await until(
      async () => {
        const taken: string[] = [];
        for (const pod of before) if ((await conn.llen(names.processing(pod))) > 0) taken.push(pod);
        return taken.length === 2 ? taken : false;
      },
      { what: 'two workers holding a long task' },
    );
    const idle = before.find((p) => !busy.includes(p));

    expect(await b.scale(2)).toBe(2);
    expect(b.stats().acknowledgedPods).toEqual([idle]);
    // The fake, like a ReplicaSet, deletes the pod after answering the scale write, once the
    // pod's process has stopped gracefully: wait for it (it took > 0 ms on a loaded CI machine).
    await deletion(1);
    expect(farm.fake.deleted.map((p) => p.name)).toEqual([idle]);
    expect(farm.fake.deleted[0]?.annotations[POD_DELETION_COST]).toBe(String(ACKED_POD_DELETION_COST));
    // Annotation first, then replicas 3 -> 2: the ReplicaSet sees the cost when it picks.
    const annotate = farm.fake.requests.indexOf(`PATCH /api/v1/namespaces/openfaas-fn/pods/${idle}`);
    const lower = farm.fake.requests.lastIndexOf('PATCH /apis/apps/v1/namespaces/openfaas-fn/deployments/worker/scale');
    expect(annotate).toBeGreaterThan(-1);
    expect(annotate).toBeLessThan(lower);
    expect(farm.fake.scaleWrites.at(-1)).toEqual({ name: 'worker', replicas: 2 });
    expect(
      farm.fake
        .podsOf('worker')
        .map((p) => p.name)
        .sort(),
    ).toEqual([...busy].sort());
    expect(b.stats().scaleDownTimeouts).toBe(0);
    // The busy workers finish their tasks: nothing was lost by the scale-down.
    await until(async () => Number(await conn.get(names.collectedTotal)) >= 2, { what: 'both long tasks collected' });
    const collected = (await conn.lrange(names.output, 0, -1)).map((r) => JSON.parse(r).task_id);
    expect(collected).toEqual(expect.arrayContaining(['long-1', 'long-2']));
  });

  it('scales down a pod that is still starting by cancelling it, without SYN/ACK', async () => {
    const config = makeConfig();
    const b = await newBackend(config);
    await b.start({ seed: 4, config, initialWorkers: 2 });
    const running = farm.fake.podsOf('worker').map((p) => p.name);
    farm.fake.coldStartMs = 5000;
    expect(await b.scale(3)).toBe(3);
    const starting = farm.fake.podsOf('worker').find((p) => !running.includes(p.name));
    expect(starting?.phase).toBe('Pending');
    expect(await b.scale(2)).toBe(2);
    await deletion(1);
    expect(farm.fake.deleted.map((p) => p.name)).toEqual([starting?.name]);
    expect(b.stats()).toMatchObject({ cancelledStarting: 1, scaleDownAckMs: [] });
    expect(await farm.factory('assert').llen(queueNames(config.queues).workerControlAck)).toBe(0);
  });

  it('adds workers that join the running episode after their cold start', async () => {
    const config = makeConfig();
    const b = await newBackend(config);
    await b.start({ seed: 6, config, initialWorkers: 2 });
    expect(await b.scale(4)).toBe(4);
    // The count applies at once; readiness follows the cold start, so step until it shows.
    const m = await until(
      async () => {
        const metrics = await b.advance(1, 1);
        return metrics.readyWorkers === 4 ? metrics : false;
      },
      { what: 'four ready workers' },
    );
    expect(m.workers).toBe(4);
    expect(b.stats().scaleUpReadyMs).toHaveLength(1);
    expect(farm.fake.podsOf('worker').every((p) => p.ready)).toBe(true);
  });
});
