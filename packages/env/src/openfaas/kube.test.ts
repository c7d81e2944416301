import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, until as waitUntil } from '@autofarm/farm/testing';
import { FakeCluster } from '../testing/fake-cluster.js';
import { FunctionCluster, KubeSetupError, loadKube, POD_DELETION_COST } from './kube.js';

let fake: FakeCluster;
let dir: string;

beforeEach(async () => {
  fake = await new FakeCluster({ functions: { emitter: 1, worker: 3, collector: 1 }, coldStartMs: 20 }).start();
  dir = mkdtempSync(join(tmpdir(), 'af-kube-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  expect(fake.unexpected).toEqual([]);
});

/** Waits for the fake's pods (20 s deadline: generous for a loaded machine, instant when it holds). */
const until = (check: () => boolean) => waitUntil(() => check() || undefined, { what: 'the fake pods' });

function cluster(timeoutMs = 2000): FunctionCluster {
  return new FunctionCluster(loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir), 'openfaas-fn', timeoutMs);
}

describe('loadKube', () => {
  it('takes $KUBECONFIG first and reports where it came from', () => {
    const file = fake.writeKubeconfig(dir, 'kind-autofarm');
    const access = loadKube(null, { KUBECONFIG: file }, '/nonexistent-home');
    expect(access).toMatchObject({ source: `KUBECONFIG=${file}`, context: 'kind-autofarm', server: fake.kubeUrl });
  });

  it("takes $AUTOFARM_KUBECONFIG (the scaler's, from ~/.autofarm/env) before $KUBECONFIG, so our scripts keep their own", () => {
    const scaler = join(dir, 'scaler.kubeconfig');
    copyFileSync(fake.writeKubeconfig(dir, 'autofarm-scaler'), scaler);
    const admin = fake.writeKubeconfig(dir, 'kind-autofarm');
    const access = loadKube(null, { AUTOFARM_KUBECONFIG: scaler, KUBECONFIG: admin }, dir);
    expect(access).toMatchObject({ source: `AUTOFARM_KUBECONFIG=${scaler}`, context: 'autofarm-scaler' });
    expect(() => loadKube(null, { AUTOFARM_KUBECONFIG: join(dir, 'gone') }, dir)).toThrow(
      /AUTOFARM_KUBECONFIG=.*gone names no file \(scripts\/cluster-up\.sh --renew-token\)/,
    );
  });

  it('falls back to ~/.kube/config', () => {
    mkdirSync(join(dir, '.kube'));
    const file = fake.writeKubeconfig(dir);
    copyFileSync(file, join(dir, '.kube', 'config'));
    expect(loadKube(null, {}, dir).source).toBe('~/.kube/config');
  });

  it('says so when there is no kubeconfig anywhere (instead of silently using localhost:8080)', () => {
    expect(() => loadKube(null, {}, dir)).toThrow(
      new KubeSetupError('kubeconfig', 'no kubeconfig (KUBECONFIG unset, ~/.kube/config missing, not running in a cluster)'),
    );
    expect(() => loadKube(null, { KUBECONFIG: join(dir, 'missing') }, dir)).toThrow(/KUBECONFIG=.*names no existing file/);
  });

  it('names the contexts it has when the configured one is missing', () => {
    const file = fake.writeKubeconfig(dir, 'kind-other');
    expect(() => loadKube('kind-autofarm', { KUBECONFIG: file }, dir)).toThrow(
      /kube context "kind-autofarm" is not in KUBECONFIG=.* \(it has: kind-other\)/,
    );
    expect(loadKube('kind-other', { KUBECONFIG: file }, dir).context).toBe('kind-other');
  });
});

describe('FunctionCluster against the Kubernetes API (fake server, real shapes)', () => {
  it('reads and merge-patches the worker Deployment scale subresource', async () => {
    const c = cluster();
    expect(await c.getReplicas('worker')).toBe(3);
    expect(await c.setReplicas('worker', 5)).toBe(5);
    expect(fake.replicasOf('worker')).toBe(5);
    expect(fake.requests).toEqual(
      expect.arrayContaining([
        'GET /apis/apps/v1/namespaces/openfaas-fn/deployments/worker/scale',
        'PATCH /apis/apps/v1/namespaces/openfaas-fn/deployments/worker/scale',
      ]),
    );
    await until(() => fake.podsOf('worker').filter((p) => p.ready).length === 5);
  });

  it('lists a function’s pods by its label (autofarm_function by default), with readiness, termination and deletion cost', async () => {
    const c = cluster();
    await until(() => fake.podsOf('worker').every((p) => p.ready));
    const [first] = await c.listPods('worker');
    expect(first).toMatchObject({ phase: 'Running', ready: true, terminating: false, deletionCost: 0 });
    expect(first?.name).toMatch(/^worker-7d9c6b5f\d-/);
    await c.setDeletionCost(first?.name as string, -42);
    expect(fake.podsOf('worker').find((p) => p.name === first?.name)?.annotations[POD_DELETION_COST]).toBe('-42');
    expect((await c.listPods('worker')).find((p) => p.name === first?.name)?.deletionCost).toBe(-42);
    expect(fake.requests).toContain('GET /api/v1/namespaces/openfaas-fn/pods?labelSelector=autofarm_function%3Dworker');
  });

  it('reports a refused call with the API server’s reason and what to check', async () => {
    const c = cluster();
    await expect(c.getReplicas('emitter')).rejects.toThrow(
      /HTTP 403 deployments\.apps "emitter" is forbidden: .* \(not allowed: see deploy\/rbac\/scaler\.yaml\)/,
    );
    await expect(c.setDeletionCost('worker-nope', -1)).rejects.toThrow(/HTTP 404 pods "worker-nope" not found/);
    const stranger = new FunctionCluster({ ...loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir) }, 'openfaas-fn');
    stranger.access.kc.getCurrentUser()!.token = 'wrong';
    await expect(stranger.getReplicas('worker')).rejects.toThrow(/HTTP 401 .*credentials rejected/);
  });

  it('fails fast, naming the server, when the API server is down or silent', async () => {
    const closed = await freePort();
    const downAccess = loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir);
    (downAccess.kc.clusters[0] as { server: string }).server = `http://127.0.0.1:${closed}`;
    const t0 = Date.now();
    // A 10 s deadline: answering well inside it shows the refusal was reported, not waited out.
    await expect(
      new FunctionCluster({ ...downAccess, server: `http://127.0.0.1:${closed}` }, 'openfaas-fn', 10_000).getReplicas('worker'),
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(Date.now() - t0).toBeLessThan(5000);

    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const silentAccess = loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir);
    (silentAccess.kc.clusters[0] as { server: string }).server = silentUrl;
    const t1 = Date.now();
    await expect(new FunctionCluster({ ...silentAccess, server: silentUrl }, 'openfaas-fn', 300).listPods('worker')).rejects.toThrow(
      /no answer from http:\/\/127\.0\.0\.1:\d+ within the deadline/,
    );
    // The 300 ms deadline applies (without one the request would hang on the silent server).
    expect(Date.now() - t1).toBeLessThan(5000);
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => silent.close(r));
  });
});
