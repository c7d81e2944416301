/**
 * Test helper: a miniature OpenFaaS-on-Kubernetes for the openfaas backend's tests.
 *
 * Two HTTP servers on loopback answer exactly the endpoints the backend uses, with the real
 * request and response shapes:
 *   Kubernetes API  GET/PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale
 *                   GET       /api/v1/namespaces/{ns}/pods?labelSelector=faas_function={fn}
 *                   PATCH     /api/v1/namespaces/{ns}/pods/{name}
 *                   (bearer token required; PATCH only as application/merge-patch+json; the
 *                   scale subresource only for the names the scaler Role lists -> else 403)
 *   Gateway         GET /healthz, GET /system/functions?namespace={ns} (basic auth)
 * Anything else gets 404 (unknown path) or 405 (known path, other method) and is recorded in
 * `unexpected`, which tests assert is empty.
 *
 * Behind them, a ReplicaSet controller: setting replicas creates pods (Pending for
 * `coldStartMs`, then Running and Ready, at which point `startPod` runs the pod's process) or
 * deletes them in Kubernetes' order (ActivePodsWithRanks: pending < not ready < lower
 * pod-deletion-cost < ready for less time < newer), stopping their process gracefully first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POD_DELETION_COST, FUNCTION_LABEL } from '../openfaas/kube.js';
import { iso, json, podObject, readBody, scaleObject, status, type Deployment } from './fake-objects.js';
import type { PodProcess } from './fake-pod-process.js';

export { podProcess, type PodProcess } from './fake-pod-process.js';

export interface FakePod {
  name: string;
  fn: string;
  uid: string;
  createdAt: number;
  phase: 'Pending' | 'Running';
  ready: boolean;
  readySince: number | null;
  deletionTimestamp: number | null;
  annotations: Record<string, string>;
  process: PodProcess | null;
}

export interface FakeClusterOptions {
  namespace?: string;
  token?: string;
  gatewayAuth?: { user: string; password: string };
  /** Initial replicas per function (faas-netes deploys each function as one Deployment). */
  functions?: Record<string, number>;
  /** Deployment names the scaler's Role may read and patch the scale of (deploy/rbac/scaler.yaml). */
  scalable?: string[];
  /** Real ms a new pod stays Pending (image pull, container start). */
  coldStartMs?: number;
  /** The pod's process, started when it becomes Running; stopped (gracefully) when deleted. */
  startPod?: (pod: FakePod) => PodProcess;
}

export class FakeCluster {
  readonly namespace: string;
  readonly token: string;
  readonly gatewayAuth: { user: string; password: string };
  /** Requests the fake does not implement (each one fails the test that sees it). */
  readonly unexpected: string[] = [];
  /** Every request served, "METHOD path?query". */
  readonly requests: string[] = [];
  /** Every replica count written through the scale subresource, per deployment. */
  readonly scaleWrites: Array<{ name: string; replicas: number }> = [];
  readonly deleted: FakePod[] = [];
  private readonly deployments = new Map<string, Deployment>();
  private readonly pods: FakePod[] = [];
  private readonly scalable: Set<string>;
  /** Real ms a new pod stays Pending; tests may change it between scale-ups. */
  coldStartMs: number;
  private readonly startPod: ((pod: FakePod) => PodProcess) | undefined;
  private kube: Server | null = null;
  private gateway: Server | null = null;
  private seq = 0;
  private resourceVersion = 1000;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopping = new Set<Promise<void>>();

  constructor(options: FakeClusterOptions = {}) {
    this.namespace = options.namespace ?? 'openfaas-fn';
    this.token = options.token ?? 'scaler-token';
    this.gatewayAuth = options.gatewayAuth ?? { user: 'admin', password: 'gw-secret' };
    this.scalable = new Set(options.scalable ?? ['worker']);
    this.coldStartMs = options.coldStartMs ?? 50;
    this.startPod = options.startPod;
    let i = 0;
    for (const [name, replicas] of Object.entries(options.functions ?? { emitter: 1, worker: 1, collector: 1 })) {
      this.deployments.set(name, { name, replicas, hash: `7d9c6b5f${i++}` });
    }
  }

  get kubeUrl(): string {
    const a = this.kube?.address();
    return typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : '';
  }

  get gatewayUrl(): string {
    const a = this.gateway?.address();
    return typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : '';
  }

  async start(): Promise<this> {
    const listen = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
      new Promise<Server>((resolve) => {
        const s = createServer((req, res) => {
          handler(req, res).catch((error: unknown) => {
            this.unexpected.push(`${req.method} ${req.url}: handler error ${(error as Error).message}`);
            if (!res.headersSent) json(res, 500, status(500, 'InternalError', (error as Error).message));
          });
        });
        s.listen(0, '127.0.0.1', () => resolve(s));
      });
    this.kube = await listen((req, res) => this.serveKube(req, res));
    this.gateway = await listen((req, res) => this.serveGateway(req, res));
    for (const d of this.deployments.values()) this.reconcile(d);
    return this;
  }

  /** A kubeconfig file (JSON is YAML) for the fake API server with the scaler's token. */
  writeKubeconfig(dir: string, context = 'kind-autofarm'): string {
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: this.kubeUrl, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'autofarm-scaler', user: { token: this.token } }],
        contexts: [{ name: context, context: { cluster: 'fake', user: 'autofarm-scaler', namespace: this.namespace } }],
        'current-context': context,
      }),
    );
    return file;
  }

  /** Pods of a function (terminating ones included until their process has stopped). */
  podsOf(fn: string): FakePod[] {
    return this.pods.filter((p) => p.fn === fn);
  }

  replicasOf(fn: string): number {
    return this.deployments.get(fn)?.replicas ?? 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const d of this.deployments.values()) d.replicas = 0;
    await Promise.all(this.pods.filter((p) => p.deletionTimestamp === null).map((p) => this.deletePod(p)));
    await Promise.all([...this.stopping]);
    await Promise.all([this.kube, this.gateway].map((s) => new Promise((r) => (s ? s.close(() => r(undefined)) : r(undefined)))));
  }

  // --- the ReplicaSet controller ----------------------------------------------------------

  private reconcile(d: Deployment): void {
    const live = this.pods.filter((p) => p.fn === d.name && p.deletionTimestamp === null);
    for (let i = live.length; i < d.replicas; i++) this.createPod(d);
    if (live.length > d.replicas) {
      const ranked = [...live].sort((a, b) => this.rank(a, b));
      for (const victim of ranked.slice(0, live.length - d.replicas)) void this.deletePod(victim);
    }
  }

  /** Kubernetes' ActivePodsWithRanks order: the pod to delete first sorts first. */
  private rank(a: FakePod, b: FakePod): number {
    if (a.phase !== b.phase) return a.phase === 'Pending' ? -1 : 1;
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    const ca = Number(a.annotations[POD_DELETION_COST] ?? 0);
    const cb = Number(b.annotations[POD_DELETION_COST] ?? 0);
    if (ca !== cb) return ca - cb;
    if (a.ready && b.ready && a.readySince !== b.readySince) return (b.readySince ?? 0) - (a.readySince ?? 0);
    return b.createdAt - a.createdAt || b.name.localeCompare(a.name);
  }

  private createPod(d: Deployment): void {
    const n = ++this.seq;
    const pod: FakePod = {
      name: `${d.name}-${d.hash}-${n.toString(36).padStart(5, 'x')}`,
      fn: d.name,
      uid: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      createdAt: Date.now(),
      phase: 'Pending',
      ready: false,
      readySince: null,
      deletionTimestamp: null,
      annotations: {},
      process: null,
    };
    this.pods.push(pod);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (pod.deletionTimestamp !== null) return;
      pod.phase = 'Running';
      pod.ready = true;
      pod.readySince = Date.now();
      pod.process = this.startPod?.(pod) ?? null;
    }, this.coldStartMs);
    this.timers.add(timer);
  }

  private deletePod(pod: FakePod): Promise<void> {
    pod.deletionTimestamp = Date.now();
    const done = (async () => {
      await pod.process?.stop();
      this.pods.splice(this.pods.indexOf(pod), 1);
      this.deleted.push(pod);
    })();
    this.stopping.add(done);
    void done.finally(() => this.stopping.delete(done));
    return done;
  }

  // --- Kubernetes API ---------------------------------------------------------------------

  private async serveKube(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube');
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}${url.search}`);
    const ns = this.namespace;
    const scale = new RegExp(`^/apis/apps/v1/namespaces/${ns}/deployments/([a-z0-9-]+)/scale$`).exec(url.pathname);
    const pods = url.pathname === `/api/v1/namespaces/${ns}/pods`;
    const pod = new RegExp(`^/api/v1/namespaces/${ns}/pods/([a-z0-9-]+)$`).exec(url.pathname);
    if (!scale && !pods && !pod) {
      this.unexpected.push(`${method} ${url.pathname}: not an endpoint the backend uses`);
      return json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const allowed = scale || pod ? ['GET', 'PATCH'] : ['GET'];
    if (!allowed.includes(method)) {
      this.unexpected.push(`${method} ${url.pathname}: method the backend does not use`);
      res.writeHead(405, { allow: allowed.join(', ') });
      return void res.end();
    }
    const body = method === 'PATCH' ? await readBody(req) : '';
    if (method === 'PATCH' && req.headers['content-type'] !== 'application/merge-patch+json') {
      this.unexpected.push(`PATCH ${url.pathname} as ${req.headers['content-type']}`);
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
      if (!this.scalable.has(name)) {
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
      const d = this.deployments.get(name);
      if (!d)
        return json(
          res,
          404,
          status(404, 'NotFound', `deployments.apps "${name}" not found`, { name, group: 'apps', kind: 'deployments' }),
        );
      if (method === 'PATCH') {
        const patch = JSON.parse(body) as { spec?: { replicas?: unknown } };
        const replicas = patch.spec?.replicas;
        if (
          Object.keys(patch).join() !== 'spec' ||
          Object.keys(patch.spec ?? {}).join() !== 'replicas' ||
          !Number.isInteger(replicas) ||
          (replicas as number) < 0
        ) {
          this.unexpected.push(`PATCH ${url.pathname} with ${body}`);
          return json(res, 422, status(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: ${body}`));
        }
        d.replicas = replicas as number;
        this.scaleWrites.push({ name, replicas: d.replicas });
        this.resourceVersion++;
        this.reconcile(d);
      }
      return json(res, 200, this.scaleObject(d));
    }

    if (pods) {
      const selector = url.searchParams.get('labelSelector') ?? '';
      const extra = [...url.searchParams.keys()].filter((k) => k !== 'labelSelector');
      const m = new RegExp(`^${FUNCTION_LABEL}=([a-z0-9-]+)$`).exec(selector);
      if (!m || extra.length > 0) {
        this.unexpected.push(`GET ${url.pathname}${url.search}: expected only labelSelector=${FUNCTION_LABEL}=<function>`);
        return json(res, 400, status(400, 'BadRequest', `unable to parse requirement: ${selector}`));
      }
      return json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.resourceVersion) },
        items: this.podsOf(m[1] as string).map((p) => this.podObject(p, false)),
      });
    }

    const name = (pod as RegExpExecArray)[1] as string;
    const target = this.pods.find((p) => p.name === name);
    if (!target) return json(res, 404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    if (method === 'PATCH') {
      const patch = JSON.parse(body) as { metadata?: { annotations?: Record<string, string | null> } };
      if (Object.keys(patch).join() !== 'metadata' || Object.keys(patch.metadata ?? {}).join() !== 'annotations') {
        this.unexpected.push(`PATCH ${url.pathname} with ${body}`);
        return json(res, 422, status(422, 'Invalid', `Pod "${name}" is invalid: only metadata.annotations may be patched here`));
      }
      for (const [k, v] of Object.entries(patch.metadata?.annotations ?? {})) {
        if (v === null) delete target.annotations[k];
        else target.annotations[k] = String(v);
      }
      this.resourceVersion++;
    }
    return json(res, 200, this.podObject(target, true));
  }

  private scaleObject(d: Deployment) {
    const live = this.pods.filter((p) => p.fn === d.name && p.deletionTimestamp === null).length;
    return scaleObject(d, live, this.namespace, this.resourceVersion);
  }

  private podObject(p: FakePod, withKind: boolean) {
    return podObject(
      p,
      this.deployments.get(p.fn) as Deployment,
      { namespace: this.namespace, resourceVersion: this.resourceVersion, index: this.pods.indexOf(p) },
      withKind,
    );
  }

  // --- OpenFaaS gateway -------------------------------------------------------------------

  private async serveGateway(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = req.method ?? 'GET';
    this.requests.push(`${method} gateway${url.pathname}${url.search}`);
    if (url.pathname !== '/healthz' && url.pathname !== '/system/functions') {
      this.unexpected.push(`${method} gateway${url.pathname}: not an endpoint the backend uses`);
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('404 page not found\n');
    }
    if (method !== 'GET') {
      this.unexpected.push(`${method} gateway${url.pathname}: method the backend does not use`);
      res.writeHead(405, { allow: 'GET' });
      return void res.end();
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('OK');
    }
    const expected = `Basic ${Buffer.from(`${this.gatewayAuth.user}:${this.gatewayAuth.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Restricted"', 'content-type': 'text/plain' });
      return void res.end('invalid credentials\n');
    }
    const ns = url.searchParams.get('namespace') ?? this.namespace;
    const list =
      ns !== this.namespace
        ? []
        : [...this.deployments.values()].map((d) => {
            const live = this.pods.filter((p) => p.fn === d.name && p.deletionTimestamp === null);
            return {
              name: d.name,
              image: `autofarm/${d.name}:0.1.0`,
              namespace: ns,
              invocationCount: 0,
              replicas: d.replicas,
              availableReplicas: live.filter((p) => p.ready).length,
              envProcess: 'node index.js',
              labels: { faas_function: d.name, 'com.openfaas.scale.min': '1' },
              annotations: { 'com.openfaas.retry.attempts': '0' },
              createdAt: iso(0),
            };
          });
    return json(res, 200, list);
  }
}
