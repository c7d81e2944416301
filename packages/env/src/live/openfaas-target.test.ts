/**
 * The controller against the OpenFaaS path: the fake Kubernetes API and gateway (real request
 * shapes) with pods running the real function loops, a real redis-server, an episode announced
 * by the openfaas backend (as `autofarm load --backend openfaas` does), and the controller
 * scaling the worker Deployment through its scale subresource, down gracefully by SYN/ACK.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, type Policy } from '@autofarm/core';
import { until } from '@autofarm/farm/testing';
import { useClusterFarm } from '../testing/cluster-farm.js';
import { connectOpenFaas } from '../openfaas/preflight.js';
import { runAutoscaler, type DecisionRecord } from './controller.js';
import { AutoscaleMetrics } from './metrics.js';
import { OpenFaasScaleTarget } from './openfaas-target.js';

const farm = useClusterFarm('af-live-ofb-', { functions: { emitter: 1, worker: 2, collector: 1 }, coldStartMs: 100 });

describe('live controller on OpenFaaS (fake cluster)', () => {
  it('scales the worker Deployment up, then down gracefully, on the announced episode', async () => {
    const { redis, fake, dir, factory } = farm;
    const config = parseConfig({
      workload: { base_rate: 12, phases: [{ name: 'a', pattern: 'steady', multiplier: 1, duration: 30 }] },
      episode: { step_duration: 1, observation_window: 1 },
      scaling: { min_workers: 1, max_workers: 6, initial_workers: 2 },
      redis: { host: redis.host, port: redis.port },
      openfaas: { gateway: fake.gatewayUrl, scale_down_timeout: 10 },
      autoscale: { stale_after: 1000 },
    });
    await until(() => ['emitter', 'worker', 'collector'].every((fn) => fake.podsOf(fn).some((p) => p.ready)), {
      what: 'a ready pod of every function',
    });
    const env = { KUBECONFIG: fake.writeKubeconfig(dir), OPENFAAS_PASSWORD: fake.gatewayAuth.password };
    const targets = await connectOpenFaas(config, { env, home: dir });
    const backend = farm.backendFor(config, targets, 20_000);
    await backend.start({ seed: 3, config, initialWorkers: 2 });

    const plan = [2, 0, -3];
    let k = 0;
    const policy: Policy = { name: 'plan', cadence: 1, reset() {}, act: () => plan[k++] ?? 0 };
    const records: DecisionRecord[] = [];
    const target = new OpenFaasScaleTarget(config, targets, factory('autoscale'));
    // the backend's start deletes pods of its own (the preflight's replica-cap probe): count the controller's only
    const deletedBefore = fake.deleted.length;
    await runAutoscaler({
      config,
      policy,
      policyName: 'plan',
      fallback: { name: 'hold', reset() {}, act: () => 0 },
      conn: factory('signals'),
      target,
      metrics: new AutoscaleMetrics(),
      log: (r) => records.push(r),
      maxDecisions: 3,
    });
    expect(records.slice(0, 2).map((r) => [r.current, r.desired, r.applied])).toEqual([
      [2, 4, 4],
      [4, 4, 4],
    ]);
    // 0.2 tasks/s: at most a worker or two busy, which the scale-down never goes below.
    const down = records[2]!;
    expect(down.current).toBe(4);
    expect(down.desired).toBe(Math.max(1, down.inputs!.busy));
    expect(down.applied).toBe(down.desired);
    expect(await targets.cluster.getReplicas('worker')).toBe(down.applied);
    const left = down.applied!;
    await until(() => fake.podsOf('worker').filter((p) => p.deletionTimestamp === null).length === left, {
      what: `${left} worker pod(s) left`,
    });
    expect(fake.deleted.length - deletedBefore).toBe(4 - left);
  }, 60_000);
});
