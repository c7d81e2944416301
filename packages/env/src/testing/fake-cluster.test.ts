import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@autofarm/farm/testing';
import { FakeCluster } from './fake-cluster.js';
import { FunctionCluster, loadKube } from '../openfaas/kube.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let fake: FakeCluster | null = null;
let dir = '';
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The fake deletes a pod after stopping its process: wait for the `n`-th deletion, not for a guessed time. */
const deletions = (n: number) => until(() => fake.deleted.length >= n, { what: `${n} pod deletions` });

describe('the fake ReplicaSet (test fidelity)', () => {
  it('deletes as Kubernetes does: pending, then not ready, then lowest pod-deletion-cost, then newest', async () => {
    fake = await new FakeCluster({ functions: { worker: 3 }, coldStartMs: 30 }).start();
    dir = mkdtempSync(join(tmpdir(), 'af-fake-'));
    const c = new FunctionCluster(loadKube(null, { KUBECONFIG: fake.writeKubeconfig(dir) }, dir), 'openfaas-fn');
    await until(() => fake.podsOf('worker').every((p) => p.ready), { what: 'three ready pods' });
    const [oldest, middle, newest] = fake.podsOf('worker').map((p) => p.name);
    // Without annotations the newest ready pod goes first.
    await c.setReplicas('worker', 2);
    await deletions(1);
    expect(fake.deleted.map((p) => p.name)).toEqual([newest]);
    // A lower deletion cost beats age.
    await c.setDeletionCost(oldest as string, -5);
    await c.setReplicas('worker', 1);
    await deletions(2);
    expect(fake.deleted.map((p) => p.name)).toEqual([newest, oldest]);
    // A pod still pending goes before any running one, whatever its cost.
    fake.coldStartMs = 10_000;
    await c.setReplicas('worker', 2);
    const pending = fake.podsOf('worker').find((p) => p.phase === 'Pending');
    await c.setDeletionCost(middle as string, -100);
    await c.setReplicas('worker', 1);
    await deletions(3);
    expect(fake.deleted.at(-1)?.name).toBe(pending?.name);
    expect(fake.unexpected).toEqual([]);
  });

  it('rejects and records calls the backend does not make', async () => {
    fake = await new FakeCluster().start();
    const res = await fetch(`${fake.kubeUrl}/apis/apps/v1/namespaces/openfaas-fn/deployments/worker`, {
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(res.status).toBe(404);
    const del = await fetch(`${fake.kubeUrl}/api/v1/namespaces/openfaas-fn/pods/x`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(del.status).toBe(405);
    const scale = await fetch(`${fake.gatewayUrl}/system/scale-function/worker`, { method: 'POST', body: '{}' });
    expect(scale.status).toBe(404);
    expect(fake.unexpected).toHaveLength(3);
  });
});
