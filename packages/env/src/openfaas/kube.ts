/**
 * The Kubernetes side of the openfaas backend, through @kubernetes/client-node 1.x: the worker
 * Deployment's scale subresource (read / merge-patch replicas) and the function pods (list by
 * the configured function label, openfaas.function_label; annotate with a pod-deletion-cost).
 * These are exactly the calls deploy/rbac/scaler.yaml allows.
 *
 * Every call has a deadline (5 s by default): an unreachable API server fails fast with a
 * message that says what to check, never hangs.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type V1Pod,
} from '@kubernetes/client-node';

/** Where the Kubernetes API was found, for messages. */
export interface KubeAccess {
  kc: KubeConfig;
  /** "KUBECONFIG=/path", "~/.kube/config" or "in-cluster service account". */
  source: string;
  context: string;
  server: string;
}

/** A kubeconfig / context problem the user can fix; `what` names the missing piece. */
export class KubeSetupError extends Error {
  constructor(
    readonly what: 'kubeconfig' | 'context',
    message: string,
  ) {
    super(message);
  }
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubeconfig from the usual places: $AUTOFARM_KUBECONFIG (the scaler's, written by
 * scripts/cluster-up.sh into ~/.autofarm/env; a variable of our own so that sourcing that file
 * never changes which cluster kubectl and our scripts talk to, issue 19), then kubectl's order:
 * $KUBECONFIG (first file wins, others merged), ~/.kube/config, the in-cluster service account. `context` null = the
 * kubeconfig's current context. Unlike KubeConfig.loadFromDefault, finding nothing is an error
 * (client-node would silently fall back to http://localhost:8080).
 */
export function loadKube(context: string | null, env: NodeJS.ProcessEnv = process.env, home = homedir()): KubeAccess {
  const kc = new KubeConfig();
  let source: string;
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  const own = env.AUTOFARM_KUBECONFIG ?? '';
  try {
    if (own !== '') {
      if (!existsSync(own))
        throw new KubeSetupError(
          'kubeconfig',
          `no kubeconfig: AUTOFARM_KUBECONFIG=${own} names no file (scripts/cluster-up.sh --renew-token)`,
        );
      kc.loadFromFile(own);
      source = `AUTOFARM_KUBECONFIG=${own}`;
    } else if (listed.length > 0) {
      const present = listed.filter((f) => existsSync(f));
      if (present.length === 0)
        throw new KubeSetupError('kubeconfig', `no kubeconfig: KUBECONFIG=${env.KUBECONFIG} names no existing file`);
      kc.loadFromFile(present[0] as string);
      for (const file of present.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
      source = `KUBECONFIG=${present.join(delimiter)}`;
    } else if (existsSync(join(home, '.kube', 'config'))) {
      kc.loadFromFile(join(home, '.kube', 'config'));
      source = '~/.kube/config';
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
      kc.loadFromCluster();
      source = 'in-cluster service account';
    } else {
      throw new KubeSetupError('kubeconfig', 'no kubeconfig (KUBECONFIG unset, ~/.kube/config missing, not running in a cluster)');
    }
  } catch (error) {
    if (error instanceof KubeSetupError) throw error;
    throw new KubeSetupError('kubeconfig', `unreadable kubeconfig: ${(error as Error).message}`);
  }
  const names = kc.getContexts().map((c) => c.name);
  if (context !== null) {
    if (!names.includes(context))
      throw new KubeSetupError('context', `kube context "${context}" is not in ${source} (it has: ${names.join(', ') || 'none'})`);
    kc.setCurrentContext(context);
  } else if (!kc.getCurrentContext() || !names.includes(kc.getCurrentContext())) {
    throw new KubeSetupError('context', `${source} has no current context (set openfaas.kube_context, or run kubectl config use-context)`);
  }
  const server = kc.getCurrentCluster()?.server ?? '(no cluster)';
  return { kc, source, context: kc.getCurrentContext(), server };
}

/** A pod of a function, as the scaler needs it. */
export interface PodInfo {
  name: string;
  phase: string;
  /** The Ready condition is True. */
  ready: boolean;
  /** Has a deletionTimestamp: on its way out. */
  terminating: boolean;
  deletionCost: number;
  createdAt: number;
}

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
/**
 * faas-netes labels every function pod (and selects its Deployment) with faas_function=<name>
 * (faas-netes pkg/handlers/deploy.go); CE's informer clamps exactly the Deployments whose pod
 * template carries it (pkg/handlers/informers.go).
 */
export const FUNCTION_LABEL = 'faas_function';
/** The label our own manifests and stack.yml put on every function pod (config default). */
export const DEFAULT_FUNCTION_LABEL = 'autofarm_function';

/** What the scale subresource says about a Deployment. */
export interface ScaleInfo {
  /** spec.replicas */
  replicas: number;
  /** status.selector: the Deployment's label selector as a string ("faas_function=worker"). */
  selector: string;
}

/** One Kubernetes API failure in words: what failed and what to check. */
export function describeKubeError(error: unknown, what: string, server: string): string {
  const e = error as { code?: number; body?: unknown; name?: string; message?: string; type?: string; cause?: { code?: string } };
  if (typeof e.code === 'number') {
    let reason = '';
    try {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      reason = (body as { message?: string })?.message ?? '';
    } catch {
      reason = String(e.body ?? '');
    }
    const hint =
      e.code === 401
        ? ' (credentials rejected: renew the token, scripts/cluster-up.sh --renew-token)'
        : e.code === 403
          ? ' (not allowed: see deploy/rbac/scaler.yaml)'
          : e.code === 404
            ? ' (not found: deploy the functions, scripts/cluster-up.sh)'
            : '';
    return `${what}: HTTP ${e.code}${reason ? ` ${reason}` : ''}${hint}`;
  }
  if (e.name === 'AbortError' || e.type === 'aborted') return `${what}: no answer from ${server} within the deadline`;
  const code = (e as { code?: string }).code ?? e.cause?.code;
  return `${what}: cannot reach ${server} (${code ?? e.message ?? String(error)})`;
}

/** The function namespace of one cluster: scale the worker, see and annotate pods. */
export class FunctionCluster {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  readonly server: string;

  constructor(
    readonly access: KubeAccess,
    readonly namespace: string,
    private readonly timeoutMs = 5000,
    readonly label = DEFAULT_FUNCTION_LABEL,
  ) {
    this.apps = access.kc.makeApiClient(AppsV1Api);
    this.core = access.kc.makeApiClient(CoreV1Api);
    this.server = access.server;
  }

  /** Request options with a deadline (and a patch content type where given). */
  private options(contentType?: string): ConfigurationOptions {
    const deadline: ConfigurationOptions = {
      middleware: [
        {
          pre: (request) => {
            request.setSignal(AbortSignal.timeout(this.timeoutMs));
            return new Observable(Promise.resolve(request));
          },
          post: (response) => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    return contentType ? setHeaderOptions('Content-Type', contentType, deadline) : deadline;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new Error(describeKubeError(error, what, this.server), { cause: error });
    }
  }

  /** spec.replicas of the deployment's scale subresource. */
  async getReplicas(deployment: string): Promise<number> {
    return (await this.getScale(deployment)).replicas;
  }

  /** spec.replicas and status.selector of the deployment's scale subresource. */
  async getScale(deployment: string): Promise<ScaleInfo> {
    const scale = await this.call(`read deployments/${deployment}/scale in ${this.namespace}`, () =>
      this.apps.readNamespacedDeploymentScale({ name: deployment, namespace: this.namespace }, this.options()),
    );
    return { replicas: scale.spec?.replicas ?? 0, selector: scale.status?.selector ?? '' };
  }

  /** Merge-patch spec.replicas; returns the replicas the API server recorded. */
  async setReplicas(deployment: string, replicas: number): Promise<number> {
    const scale = await this.call(`scale deployments/${deployment} to ${replicas} in ${this.namespace}`, () =>
      this.apps.patchNamespacedDeploymentScale(
        { name: deployment, namespace: this.namespace, body: { spec: { replicas } } },
        this.options(PatchStrategy.MergePatch),
      ),
    );
    return scale.spec?.replicas ?? replicas;
  }

  /** The pods of a function (label <function label>=<name>). */
  async listPods(fn: string): Promise<PodInfo[]> {
    const list = await this.call(`list pods of ${fn} in ${this.namespace}`, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `${this.label}=${fn}` }, this.options()),
    );
    return list.items.map(podInfo);
  }

  /** Annotate a pod so the ReplicaSet removes it before pods of higher cost. */
  async setDeletionCost(pod: string, cost: number): Promise<void> {
    await this.call(`annotate pod ${pod}`, () =>
      this.core.patchNamespacedPod(
        { name: pod, namespace: this.namespace, body: { metadata: { annotations: { [POD_DELETION_COST]: String(cost) } } } },
        this.options(PatchStrategy.MergePatch),
      ),
    );
  }
}

export function podInfo(pod: V1Pod): PodInfo {
  const cost = Number(pod.metadata?.annotations?.[POD_DELETION_COST] ?? 0);
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null,
    deletionCost: Number.isFinite(cost) ? cost : 0,
    createdAt: pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).getTime() : 0,
  };
}
