import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, parseConfig, type Config } from '@autofarm/core';
import { freePort, startRedisServer, until, type RedisServerHandle } from '@autofarm/farm/testing';
import { FakeCluster } from '../testing/fake-cluster.js';
import { createEnv } from '../create-env.js';
import { connectOpenFaas } from './preflight.js';

let redis: RedisServerHandle;
let fake: FakeCluster;
let dir: string;

beforeAll(async () => {
  redis = await startRedisServer({ password: 'redis-pw' });
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  fake = await new FakeCluster({ functions: { emitter: 1, worker: 2, collector: 1 }, coldStartMs: 10 }).start();
  dir = mkdtempSync(join(tmpdir(), 'af-pre-'));
  await until(() => ['emitter', 'worker', 'collector'].every((fn) => fake.podsOf(fn).every((p) => p.ready)), {
    what: 'every fake pod ready',
  });
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  expect(fake.unexpected).toEqual([]);
});

function config(over: { gateway?: string; redisPort?: number; context?: string | null } = {}): Config {
  return parseConfig({
    workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 10 }] },
    redis: { host: null, port: over.redisPort ?? redis.port, password: 'redis-pw' },
    openfaas: { gateway: over.gateway ?? fake.gatewayUrl, kube_context: over.context ?? null },
  });
}

async function failure(p: Promise<unknown>): Promise<BackendUnavailableError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(BackendUnavailableError);
    return error as BackendUnavailableError;
  }
  throw new Error('expected connectOpenFaas to fail');
}

describe('connectOpenFaas (preflight)', () => {
  it('finds cluster, gateway and Redis (port-forward default 127.0.0.1) and checks the functions exist', async () => {
    const env = { KUBECONFIG: fake.writeKubeconfig(dir), OPENFAAS_PASSWORD: fake.gatewayAuth.password };
    const targets = await connectOpenFaas(config(), { env, home: dir });
    expect(targets.redis).toMatchObject({ host: '127.0.0.1', port: redis.port });
    expect(targets.cluster.access.context).toBe('kind-autofarm');
    expect(fake.requests).toEqual(
      expect.arrayContaining([
        'GET /apis/apps/v1/namespaces/openfaas-fn/deployments/worker/scale',
        'GET /api/v1/namespaces/openfaas-fn/pods?labelSelector=autofarm_function%3Demitter',
        'GET /api/v1/namespaces/openfaas-fn/pods?labelSelector=autofarm_function%3Dcollector',
        'GET gateway/healthz',
        'GET gateway/system/functions?namespace=openfaas-fn',
      ]),
    );
  });

  it('with nothing running, names every missing piece in one line within seconds', async () => {
    const [gw, rp] = [await freePort(), await freePort()];
    const t0 = Date.now();
    const error = await failure(connectOpenFaas(config({ gateway: `http://127.0.0.1:${gw}`, redisPort: rp }), { env: {}, home: dir }));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(5000);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      /^openfaas backend cannot start: no kubeconfig \(KUBECONFIG unset, ~\/\.kube\/config missing, not running in a cluster\); /,
    );
    expect(error.message).toContain(
      `gateway http://127.0.0.1:${gw}: unreachable (ECONNREFUSED); port-forward down? scripts/cluster-up.sh --forward-only`,
    );
    expect(error.message).toContain(`Redis 127.0.0.1:${rp} unreachable`);
    expect(error.message).toMatch(/scripts\/cluster-up\.sh sets all of this up/);
  });

  it('names the missing context, and a cluster that is down', async () => {
    const env = { KUBECONFIG: fake.writeKubeconfig(dir, 'kind-other') };
    const error = await failure(connectOpenFaas(config({ context: 'kind-autofarm' }), { env, home: dir }));
    expect(error.message).toMatch(/kube context "kind-autofarm" is not in KUBECONFIG=.* \(it has: kind-other\)/);
    const file = fake.writeKubeconfig(dir);
    await fake.close();
    const down = await failure(connectOpenFaas(config({ gateway: 'http://127.0.0.1:9' }), { env: { KUBECONFIG: file }, home: dir }));
    expect(down.message).toMatch(
      new RegExp(
        String.raw`Kubernetes \(context kind-autofarm from KUBECONFIG=.*\): read deployments/worker/scale in openfaas-fn: ` +
          String.raw`cannot reach http://127\.0\.0\.1:\d+ \(ECONNREFUSED\)`,
      ),
    );
  });

  it('reports functions that are not deployed or not ready, and a wrong Redis password', async () => {
    await fake.close();
    fake = await new FakeCluster({ functions: { worker: 2 } }).start();
    const env = { KUBECONFIG: fake.writeKubeconfig(dir), OPENFAAS_PASSWORD: fake.gatewayAuth.password, REDIS_PASSWORD: 'wrong' };
    const error = await failure(connectOpenFaas(config(), { env, home: dir }));
    expect(error.message).toContain(
      'function emitter has no ready pod labelled autofarm_function=emitter in openfaas-fn (scripts/cluster-up.sh deploys it)',
    );
    expect(error.message).toContain('gateway ' + fake.gatewayUrl + ' manages no emitter, collector in openfaas-fn');
    expect(error.message).toMatch(/Redis 127\.0\.0\.1:\d+ refused the password/);
  });

  it('is what createEnv(config, { backend: "openfaas" }) runs: no cluster, one-line BackendUnavailableError', async () => {
    const [gw, rp] = [await freePort(), await freePort()];
    const saved = { KUBECONFIG: process.env.KUBECONFIG };
    process.env.KUBECONFIG = join(dir, 'none');
    try {
      const t0 = Date.now();
      const error = await failure(createEnv(config({ gateway: `http://127.0.0.1:${gw}`, redisPort: rp }), { backend: 'openfaas' }));
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(error.message.split('\n')).toHaveLength(1);
      expect(error.message).toMatch(/KUBECONFIG=.* names no existing file; gateway .* unreachable .*; Redis .* unreachable/);
    } finally {
      if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved.KUBECONFIG;
    }
  });
});
