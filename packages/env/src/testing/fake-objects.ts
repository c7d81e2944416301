/**
 * Test helper: the Kubernetes objects (Scale, Pod, Status) FakeCluster answers with, in the
 * real API's shapes, and the small HTTP helpers its two servers share.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakePod } from './fake-cluster.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface Deployment {
  name: string;
  replicas: number;
  hash: string;
  /** Pod template labels (every pod gets them, plus pod-template-hash). */
  labels: Record<string, string>;
  /** spec.selector.matchLabels */
  selector: Record<string, string>;
  image: string;
  pullPolicy: PullPolicy;
  /** The deploy request's labels (faas-netes functions only; the gateway lists them). */
  functionLabels?: Record<string, string>;
}

/** "k=v,k2=v2", as the scale subresource's status.selector shows a selector. */
export const selectorString = (selector: Record<string, string>) =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

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
    status: { replicas: live, selector: selectorString(d.selector) },
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
      labels: { ...d.labels, 'pod-template-hash': d.hash },
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
          image: d.image,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          imagePullPolicy: d.pullPolicy,
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
      containerStatuses: [
        {
          name: p.fn,
          image: d.image,
          ready: p.ready,
          restartCount: 0,
          state: p.pullError
            ? { waiting: { reason: 'ErrImagePull', message: p.pullError } }
            : p.phase === 'Running'
              ? { running: { startedAt: iso(p.readySince ?? p.createdAt) } }
              : { waiting: { reason: 'ContainerCreating' } },
        },
      ],
      startTime: iso(p.createdAt),
    },
  };
  return withKind ? { kind: 'Pod', apiVersion: 'v1', ...body } : body;
}
