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
 *   Gateway         GET /healthz, GET/POST/PUT /system/functions (fake-faas-netes.ts)
 * Anything else gets 404 (unknown path) or 405 (known path, other method) and is recorded in
 * `unexpected`, which tests assert is empty.
 *
 * How the functions got there (`deployedBy`): 'faas-netes' (faas-cli deploy: selector
 * faas_function=<fn>, stack.yml's labels on the pods) or 'kubectl' (scripts/cluster-up.sh --mode
 * deployments: deploy/functions/*.yaml, no faas_function label). `edition: 'ce'` enforces what
 * faas-netes CE 0.18.16 does (issue 19): the 5-replica validation on deploy/update, the informer
 * that puts faas_function Deployments back to 5 (or 0 -> 1) shortly after any write, the
 * anonymous public-image check, and imagePullPolicy Always. Images: `registry` lists what pulls
 * anonymously (default: everything), `nodeImages` what `kind load` put on the node; a pod whose
 * image cannot be had stays Pending with ErrImagePull.
 *
 * Behind them, a ReplicaSet controller: setting replicas creates pods (Pending for
 * `coldStartMs`, then Running and Ready, at which point `startPod` runs the pod's process) or
 * deletes them in Kubernetes' order (ActivePodsWithRanks: pending < not ready < lower
 * pod-deletion-cost < ready for less time < newer), stopping their process gracefully first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POD_DELETION_COST, DEFAULT_FUNCTION_LABEL, FUNCTION_LABEL } from '../openfaas/kube.js';
import { ceClamp } from '../openfaas/replica-guard.js';
import { json, status, type Deployment, type PullPolicy } from './fake-objects.js';
import { serveKube, type KubeApiHost } from './fake-kube-api.js';
import {
  CE_PRIVATE_IMAGE,
  ceValidation,
  functionDeployment,
  pullError,
  serveGateway,
  type Edition,
  type FunctionDeployment,
} from './fake-faas-netes.js';
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
  /** Why the node could not get the image (the pod then stays Pending), else null. */
  pullError: string | null;
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
  /** How the initial functions were deployed (default 'faas-netes'). */
  deployedBy?: 'faas-netes' | 'kubectl';
  /** OpenFaaS edition behind the faas-netes functions (default 'pro': no limits). */
  edition?: Edition;
  /** Pro's functions.imagePullPolicy (default Always, the chart's default). */
  proPullPolicy?: PullPolicy;
  /** Images anyone can pull anonymously (default: every image). */
  registry?: string[];
  /** Images side-loaded onto the node (kind load). */
  nodeImages?: string[];
  /** Real ms before CE's informer acts on a Deployment write. */
  informerDelayMs?: number;
}

/** The image cluster-up builds for a function (deploy/versions.env AUTOFARM_IMAGE_TAG). */
export const fakeImage = (fn: string) => `autofarm/${fn}:0.1.0`;

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
  /** Every count CE's informer put back, in order. */
  readonly clamps: Array<{ name: string; from: number; to: number }> = [];
  readonly edition: Edition;
  private readonly proPullPolicy: PullPolicy;
  private readonly registry: ReadonlySet<string> | null;
  private readonly nodeImages: ReadonlySet<string>;
  private readonly informerDelayMs: number;
  private uid = 0;
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
    this.edition = options.edition ?? 'pro';
    this.proPullPolicy = options.proPullPolicy ?? 'Always';
    this.registry = options.registry ? new Set(options.registry) : null;
    this.nodeImages = new Set(options.nodeImages ?? []);
    this.informerDelayMs = options.informerDelayMs ?? 20;
    let i = 0;
    for (const [name, replicas] of Object.entries(options.functions ?? { emitter: 1, worker: 1, collector: 1 })) {
      const hash = `7d9c6b5f${i++}`;
      const d: Deployment =
        options.deployedBy === 'kubectl'
          ? {
              name,
              replicas,
              hash,
              labels: { [DEFAULT_FUNCTION_LABEL]: name, 'app.kubernetes.io/name': name },
              selector: { [DEFAULT_FUNCTION_LABEL]: name },
              image: fakeImage(name),
              pullPolicy: 'IfNotPresent',
            }
          : { ...functionDeployment(this.stackRequest(name), this.edition, this.proPullPolicy, hash, ++this.uid), replicas };
      this.deployments.set(name, d);
    }
  }

  /** What faas-cli sends for a function of functions/stack.yml (its labels, our image). */
  stackRequest(name: string, labels: Record<string, string> = {}): FunctionDeployment {
    return { service: name, image: fakeImage(name), labels: { [DEFAULT_FUNCTION_LABEL]: name, ...labels } };
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
    this.kube = await listen((req, res) => serveKube(this.kubeHost(), req, res));
    this.gateway = await listen((req, res) =>
      serveGateway(
        {
          namespace: this.namespace,
          gatewayAuth: this.gatewayAuth,
          unexpected: this.unexpected,
          requests: this.requests,
          functions: () => [...this.deployments.values()].map((d) => ({ d, available: this.live(d.name).filter((p) => p.ready).length })),
          deployFunction: (request, update) => this.deployFunction(request, update),
        },
        req,
        res,
      ),
    );
    for (const d of this.deployments.values()) this.written(d);
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

  deploymentOf(fn: string): Readonly<Deployment> | undefined {
    return this.deployments.get(fn);
  }

  private live(fn: string): FakePod[] {
    return this.pods.filter((p) => p.fn === fn && p.deletionTimestamp === null);
  }

  /**
   * faas-netes's deploy (POST) and update (PUT) handlers: CE validates the scaling labels and
   * checks the image anonymously; an update replaces every pod (fresh uid label) and resets
   * replicas to com.openfaas.scale.min.
   */
  deployFunction(request: FunctionDeployment, update: boolean): { code: number; text: string } {
    if (this.edition === 'ce') {
      const invalid = ceValidation(request);
      if (invalid) return { code: 400, text: `validation failed: ${invalid}\n` };
      if (this.registry !== null && !this.registry.has(request.image)) return { code: 400, text: `${CE_PRIVATE_IMAGE}\n` };
    }
    const existing = this.deployments.get(request.service);
    if (update && !existing) return { code: 404, text: `deployment not found: ${request.service}\n` };
    if (!update && existing) return { code: 409, text: `unable create Deployment: deployments.apps "${request.service}" already exists\n` };
    const d = functionDeployment(
      request,
      this.edition,
      this.proPullPolicy,
      existing?.hash ?? `5f8d9c7b${this.deployments.size}`,
      ++this.uid,
    );
    this.deployments.set(d.name, d);
    if (existing) for (const p of this.live(d.name)) void this.deletePod(p);
    this.resourceVersion++;
    this.written(d);
    return { code: 202, text: '' };
  }

  /** After any write to a Deployment: the ReplicaSet acts, and CE's informer (faas-netes pkg/handlers/informers.go). */
  private written(d: Deployment): void {
    this.reconcile(d);
    if (this.edition !== 'ce' || !(FUNCTION_LABEL in d.labels)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const to = ceClamp(d.replicas);
      if (to === d.replicas || this.deployments.get(d.name) !== d) return;
      this.clamps.push({ name: d.name, from: d.replicas, to });
      d.replicas = to;
      this.resourceVersion++;
      this.reconcile(d);
    }, this.informerDelayMs);
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const d of this.deployments.values()) d.replicas = 0;
    await Promise.all(this.pods.filter((p) => p.deletionTimestamp === null).map((p) => this.deletePod(p)));
    await Promise.all([...this.stopping]);
    await Promise.all([this.kube, this.gateway].map((s) => new Promise((r) => (s ? s.close(() => r(undefined)) : r(undefined)))));
  }

  /** The API server's view of this cluster (fake-kube-api.ts). */
  private kubeHost(): KubeApiHost {
    return {
      namespace: this.namespace,
      token: this.token,
      requests: this.requests,
      unexpected: this.unexpected,
      scaleWrites: this.scaleWrites,
      scalable: this.scalable,
      deployments: this.deployments,
      pods: this.pods,
      version: () => this.resourceVersion,
      bump: () => void this.resourceVersion++,
      written: (d) => this.written(d),
    };
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
      pullError: pullError(d.image, d.pullPolicy, this.registry, this.nodeImages),
    };
    this.pods.push(pod);
    // The kubelet retries (ImagePullBackOff) forever; the pod never starts.
    if (pod.pullError !== null) return;
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
}
