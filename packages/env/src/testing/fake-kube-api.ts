/**
 * Test helper: FakeCluster's Kubernetes API (the endpoints the scaler's Role allows, with the
 * real request and response shapes; see fake-cluster.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakePod } from './fake-cluster.js';
import { json, podObject, readBody, scaleObject, status, type Deployment } from './fake-objects.js';

/** What the API server needs from the cluster. */
export interface KubeApiHost {
  readonly namespace: string;
  readonly token: string;
  readonly requests: string[];
  readonly unexpected: string[];
  readonly scaleWrites: Array<{ name: string; replicas: number }>;
  readonly scalable: ReadonlySet<string>;
  readonly deployments: ReadonlyMap<string, Deployment>;
  readonly pods: readonly FakePod[];
  /** The current resourceVersion, and a write that raises it. */
  version(): number;
  bump(): void;
  /** A Deployment's replicas were written. */
  written(d: Deployment): void;
}

function podOf(host: KubeApiHost, p: FakePod, withKind: boolean) {
  return podObject(
    p,
    host.deployments.get(p.fn) as Deployment,
    { namespace: host.namespace, resourceVersion: host.version(), index: host.pods.indexOf(p) },
    withKind,
  );
}

export async function serveKube(host: KubeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kube');
  const method = req.method ?? 'GET';
  host.requests.push(`${method} ${url.pathname}${url.search}`);
  const ns = host.namespace;
  const scale = new RegExp(`^/apis/apps/v1/namespaces/${ns}/deployments/([a-z0-9-]+)/scale$`).exec(url.pathname);
  const pods = url.pathname === `/api/v1/namespaces/${ns}/pods`;
  const pod = new RegExp(`^/api/v1/namespaces/${ns}/pods/([a-z0-9-]+)$`).exec(url.pathname);
  if (!scale && !pods && !pod) {
    host.unexpected.push(`${method} ${url.pathname}: not an endpoint the backend uses`);
    return json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  }
  if (req.headers.authorization !== `Bearer ${host.token}`) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
  const allowed = scale || pod ? ['GET', 'PATCH'] : ['GET'];
  if (!allowed.includes(method)) {
    host.unexpected.push(`${method} ${url.pathname}: method the backend does not use`);
    res.writeHead(405, { allow: allowed.join(', ') });
    return void res.end();
  }
  const body = method === 'PATCH' ? await readBody(req) : '';
  if (method === 'PATCH' && req.headers['content-type'] !== 'application/merge-patch+json') {
    host.unexpected.push(`PATCH ${url.pathname} as ${req.headers['content-type']}`);
    return json(
      res,
      415,
      status(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ` +
          `application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      ),
    );
  }

  if (scale) {
    const name = scale[1] as string;
    const verb = method === 'GET' ? 'get' : 'patch';
    if (!host.scalable.has(name)) {
      return json(
        res,
        403,
        status(
          403,
          'Forbidden',
          `deployments.apps "${name}" is forbidden: User "system:serviceaccount:${ns}:autofarm-scaler" ` +
            `cannot ${verb} resource "deployments/scale" in API group "apps" in the namespace ` +
            `"${ns}"`,
          { name, group: 'apps', kind: 'deployments' },
        ),
      );
    }
    const d = host.deployments.get(name);
    if (!d)
      return json(res, 404, status(404, 'NotFound', `deployments.apps "${name}" not found`, { name, group: 'apps', kind: 'deployments' }));
    if (method === 'PATCH') {
      const patch = JSON.parse(body) as { spec?: { replicas?: unknown } };
      const replicas = patch.spec?.replicas;
      if (
        Object.keys(patch).join() !== 'spec' ||
        Object.keys(patch.spec ?? {}).join() !== 'replicas' ||
        !Number.isInteger(replicas) ||
        (replicas as number) < 0
      ) {
        host.unexpected.push(`PATCH ${url.pathname} with ${body}`);
        return json(res, 422, status(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: ${body}`));
      }
      d.replicas = replicas as number;
      host.scaleWrites.push({ name, replicas: d.replicas });
      host.bump();
      host.written(d);
    }
    return json(
      res,
      200,
      scaleObject(d, host.pods.filter((p) => p.fn === d.name && p.deletionTimestamp === null).length, host.namespace, host.version()),
    );
  }

  if (pods) {
    const selector = url.searchParams.get('labelSelector') ?? '';
    const extra = [...url.searchParams.keys()].filter((k) => k !== 'labelSelector');
    const m = /^([A-Za-z0-9_./-]+)=([a-z0-9-]+)$/.exec(selector);
    if (!m || extra.length > 0) {
      host.unexpected.push(`GET ${url.pathname}${url.search}: expected only labelSelector=<label>=<function>`);
      return json(res, 400, status(400, 'BadRequest', `unable to parse requirement: ${selector}`));
    }
    const [, key, value] = m as unknown as [string, string, string];
    const items = host.pods.filter((p) => {
      const d = host.deployments.get(p.fn);
      return d !== undefined && d.labels[key] === value;
    });
    return json(res, 200, {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(host.version()) },
      items: items.map((p) => podOf(host, p, false)),
    });
  }

  const name = (pod as RegExpExecArray)[1] as string;
  const target = host.pods.find((p) => p.name === name);
  if (!target) return json(res, 404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
  if (method === 'PATCH') {
    const patch = JSON.parse(body) as { metadata?: { annotations?: Record<string, string | null> } };
    if (Object.keys(patch).join() !== 'metadata' || Object.keys(patch.metadata ?? {}).join() !== 'annotations') {
      host.unexpected.push(`PATCH ${url.pathname} with ${body}`);
      return json(res, 422, status(422, 'Invalid', `Pod "${name}" is invalid: only metadata.annotations may be patched here`));
    }
    for (const [k, v] of Object.entries(patch.metadata?.annotations ?? {})) {
      if (v === null) delete target.annotations[k];
      else target.annotations[k] = String(v);
    }
    host.bump();
  }
  return json(res, 200, podOf(host, target, true));
}
