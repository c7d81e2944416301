/**
 * The fake's Community Edition mode does what faas-netes CE 0.18.16 (chart 14.2.124) does, one
 * behaviour per test, each with the upstream file it comes from (issue 19; the facts are in
 * the shared reference autoscaling-anchors.md, section A.4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@autofarm/farm/testing';
import { FunctionCluster, loadKube } from '../openfaas/kube.js';
import { FakeCluster, fakeImage, type FakeClusterOptions } from './fake-cluster.js';
import type { FunctionDeployment } from './fake-faas-netes.js';

let fake: FakeCluster | null = null;
let dir = '';
afterEach(async () => {
  await fake?.close();
  expect(fake?.unexpected ?? []).toEqual([]);
  fake = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(options: FakeClusterOptions): Promise<{ f: FakeCluster; c: FunctionCluster }> {
  fake = await new FakeCluster({ coldStartMs: 10, ...options }).start();
  dir = mkdtempSync(join(tmpdir(), 'af-ce-'));
  const c = new FunctionCluster(loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir), 'openfaas-fn');
  return { f: fake, c };
}

/** faas-cli deploy's request: PUT updates an existing function, POST creates one. */
async function deploy(f: FakeCluster, body: FunctionDeployment, method: 'POST' | 'PUT' = 'POST') {
  const auth = Buffer.from(`${f.gatewayAuth.user}:${f.gatewayAuth.password}`).toString('base64');
  const res = await fetch(`${f.gatewayUrl}/system/functions`, {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const worker = (max: string, image = fakeImage('worker')): FunctionDeployment => ({
  service: 'worker',
  image,
  labels: { autofarm_function: 'worker', 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': max },
});

describe('FakeCluster in Community Edition mode', () => {
  it('refuses a deploy or update whose com.openfaas.scale.max is above 5 (faas-netes pkg/handlers/validate.go)', async () => {
    const { f } = await start({ edition: 'ce', functions: {} });
    expect(await deploy(f, worker('32'))).toEqual({
      status: 400,
      text: 'validation failed: com.openfaas.scale.max is set too high for Community Edition\n',
    });
    expect(f.deploymentOf('worker')).toBeUndefined();
    expect((await deploy(f, worker('5'))).status).toBe(202);
    expect((await deploy(f, worker('6'), 'PUT')).status).toBe(400);
    // OpenFaaS Standard has no such limit.
    await f.close();
    const pro = await new FakeCluster({ edition: 'pro', functions: {} }).start();
    fake = pro;
    expect((await deploy(pro, worker('32'))).status).toBe(202);
  });

  it('puts a faas_function Deployment back to 5 after any write above, and 0 to 1 (pkg/handlers/informers.go)', async () => {
    const { f, c } = await start({ edition: 'ce', functions: { worker: 1 } });
    // The scale PATCH answers what was sent: only reading back shows the clamp.
    expect(await c.setReplicas('worker', 12)).toBe(12);
    await until(() => f.replicasOf('worker') === 5 || undefined, { what: 'the informer clamp' });
    expect(await c.getReplicas('worker')).toBe(5);
    await c.setReplicas('worker', 0);
    await until(() => f.replicasOf('worker') === 1 || undefined, { what: 'the 0 -> 1 clamp' });
    expect(f.clamps).toEqual([
      { name: 'worker', from: 12, to: 5 },
      { name: 'worker', from: 0, to: 1 },
    ]);
  });

  it('leaves Deployments without the faas_function label alone (--mode deployments)', async () => {
    const { f, c } = await start({ edition: 'ce', deployedBy: 'kubectl', functions: { worker: 1 } });
    expect(await c.setReplicas('worker', 32)).toBe(32);
    expect(f.deploymentOf('worker')?.labels).not.toHaveProperty('faas_function');
    // The informer runs 20 ms after a write; 30 more pod starts later the count still holds.
    await until(() => f.podsOf('worker').filter((p) => p.ready).length === 32 || undefined, { what: '32 ready pods' });
    expect(await c.getReplicas('worker')).toBe(32);
    expect(f.clamps).toEqual([]);
  });

  it('refuses an image it cannot fetch anonymously (validate.go isAnonymous; faas-netes issue #1231)', async () => {
    const { f } = await start({ edition: 'ce', functions: {}, registry: ['ghcr.io/someone/worker:0.1.0'] });
    expect(await deploy(f, worker('5'))).toEqual({
      status: 400,
      text: 'the Community Edition license agreement only supports public images\n',
    });
    expect((await deploy(f, worker('5', 'ghcr.io/someone/worker:0.1.0'))).status).toBe(202);
  });

  it('pulls function images Always, so an image side-loaded with kind load never starts (deploy.go, update.go)', async () => {
    const image = fakeImage('worker');
    const { f } = await start({ edition: 'ce', functions: { worker: 1 }, registry: [], nodeImages: [image] });
    expect(f.deploymentOf('worker')?.pullPolicy).toBe('Always');
    await until(() => f.podsOf('worker')[0]?.pullError ?? undefined, { what: 'a pull error' });
    expect(f.podsOf('worker')[0]).toMatchObject({ phase: 'Pending', ready: false });
    expect(f.podsOf('worker')[0]?.pullError).toMatch(/pull access denied/);
    await f.close();
    // Our own Deployments say IfNotPresent, and OpenFaaS Standard honours functions.imagePullPolicy.
    for (const options of [{ deployedBy: 'kubectl' as const }, { edition: 'pro' as const, proPullPolicy: 'IfNotPresent' as const }]) {
      const ok = await new FakeCluster({
        ...options,
        functions: { worker: 1 },
        registry: [],
        nodeImages: [image],
        coldStartMs: 10,
      }).start();
      fake = ok;
      await until(() => ok.podsOf('worker')[0]?.ready || undefined, { what: 'the side-loaded pod ready' });
      await ok.close();
    }
    fake = null;
  });

  it('replaces every pod and resets replicas to com.openfaas.scale.min when an existing function is deployed again', async () => {
    const { f, c } = await start({ edition: 'ce', functions: { worker: 3 } });
    await until(() => f.podsOf('worker').filter((p) => p.ready).length === 3 || undefined, { what: 'three ready pods' });
    const before = f.podsOf('worker').map((p) => p.name);
    const uid = f.deploymentOf('worker')?.labels.uid;
    expect((await deploy(f, worker('5'), 'PUT')).status).toBe(202);
    expect(f.deploymentOf('worker')?.labels.uid).not.toBe(uid);
    expect(await c.getReplicas('worker')).toBe(1);
    await until(() => f.podsOf('worker').every((p) => !before.includes(p.name)) || undefined, { what: 'the old pods gone' });
  });
});
