/**
 * Test helper: the Kubernetes objects (Scale, Pod, Status) FakeCluster answers with, in the
 * real API's shapes, and the small HTTP helpers its two servers share.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FUNCTION_LABEL } from '../openfaas/kube.js';
import type { FakePod } from './fake-cluster.js';

export interface Deployment {
  name: string;
  replicas: number;
  hash: string;
}

export const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export const status = (code: number, reason: string, message: string, details: Record<string, string> = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  details,
  code,
});

export const iso = (ms: number) => new Date(ms).toISOString();

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The scale subresource of Deployment `d` with `live` pods not being deleted. */
export function scaleObject(d: Deployment, live: number, namespace: string, resourceVersion: number) {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: d.name, namespace, uid: `deploy-${d.name}`, resourceVersion: String(resourceVersion), creationTimestamp: iso(0) },
    spec: { replicas: d.replicas },
    status: { replicas: live, selector: `${FUNCTION_LABEL}=${d.name}` },
  };
}

/** Pod `p` of Deployment `d` as GET/PATCH return it (`index`: its position, for a stable pod IP). */
export function podObject(p: FakePod, d: Deployment, at: { namespace: string; resourceVersion: number; index: number }, withKind: boolean) {
  const body = {
    metadata: {
      name: p.name,
      generateName: `${p.fn}-${d.hash}-`,
      namespace: at.namespace,
      uid: p.uid,
      resourceVersion: String(at.resourceVersion),
      creationTimestamp: iso(p.createdAt),
      ...(p.deletionTimestamp !== null ? { deletionTimestamp: iso(p.deletionTimestamp), deletionGracePeriodSeconds: 30 } : {}),
      labels: { [FUNCTION_LABEL]: p.fn, app: p.fn, controller: p.fn, 'pod-template-hash': d.hash },
      annotations: { 'prometheus.io/scrape': 'false', ...p.annotations },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${p.fn}-${d.hash}`,
          uid: `rs-${p.fn}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: p.fn,
          image: `autofarm/${p.fn}:0.1.0`,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      nodeName: 'autofarm-control-plane',
    },
    status: {
      phase: p.phase,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: iso(p.createdAt) },
        { type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: iso(p.readySince ?? p.createdAt) },
      ],
      podIP: `10.244.0.${(at.index % 250) + 2}`,
      startTime: iso(p.createdAt),
    },
  };
  return withKind ? { kind: 'Pod', apiVersion: 'v1', ...body } : body;
}
