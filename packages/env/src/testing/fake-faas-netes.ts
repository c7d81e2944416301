/**
 * Test helper: what faas-netes does for FakeCluster, as the pinned chart 14.2.124 ships it
 * (faas-netes CE 0.18.16; issue 19, the shared reference autoscaling-anchors.md, section A.4), and the
 * gateway endpoints faas-cli and the backend use. Behaviour only, written from the upstream
 * facts; the source files are named where each rule comes from.
 *
 *   GET  /healthz                          200 "OK"
 *   GET  /system/functions?namespace=ns    the functions (basic auth)
 *   POST /system/functions                 deploy (faas-cli deploy of a new function)
 *   PUT  /system/functions                 update (faas-cli deploy of an existing one)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CE_MAX_REPLICAS } from '../openfaas/replica-guard.js';
import { FUNCTION_LABEL } from '../openfaas/kube.js';
import { iso, json, readBody, type Deployment, type PullPolicy } from './fake-objects.js';

/** 'ce': Community Edition's limits; 'pro': OpenFaaS Standard/Enterprise (none of them). */
export type Edition = 'ce' | 'pro';

/** The body faas-cli sends (faas-provider types.FunctionDeployment, the fields we read). */
export interface FunctionDeployment {
  service: string;
  image: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  envProcess?: string;
  envVars?: Record<string, string>;
  secrets?: string[];
  namespace?: string;
}

/** CE's label checks on deploy and update (faas-netes pkg/handlers/validate.go, validateScalingLabels). */
export function ceValidation(request: FunctionDeployment): string | null {
  const labels = request.labels ?? {};
  if (labels['com.openfaas.scale.zero'] === 'true') return 'com.openfaas.scale.zero not available for Community Edition';
  for (const key of ['com.openfaas.scale.zero-duration', 'com.openfaas.scale.target', 'com.openfaas.scale.type'])
    if (key in labels) return `${key} not available for Community Edition`;
  for (const key of ['com.openfaas.scale.max', 'com.openfaas.scale.min']) {
    const n = Number.parseInt(labels[key] ?? '', 10);
    if (Number.isFinite(n) && n > CE_MAX_REPLICAS) return `${key} is set too high for Community Edition`;
  }
  return null;
}

/** CE's anonymous registry check (validate.go isAnonymous; faas-netes issue #1231). */
export const CE_PRIVATE_IMAGE = 'the Community Edition license agreement only supports public images';

/**
 * Why a node cannot get `image` under `policy`, or null. `registry` holds the images anyone can
 * pull anonymously (null: every image); `nodeImages` the ones side-loaded with `kind load`.
 */
export function pullError(
  image: string,
  policy: PullPolicy,
  registry: ReadonlySet<string> | null,
  nodeImages: ReadonlySet<string>,
): string | null {
  const pullable = registry === null || registry.has(image);
  const present = nodeImages.has(image);
  if (policy === 'Never') return present ? null : `Container image "${image}" is not present with pull policy of Never`;
  if (policy === 'IfNotPresent' && present) return null;
  return pullable
    ? null
    : `failed to pull and unpack image "docker.io/${image}": pull access denied, repository does not exist or may require authorization`;
}

/**
 * The Deployment faas-netes makes for a function (pkg/handlers/deploy.go makeDeploymentSpec):
 * selector faas_function=<name>, the request's labels on the pod template beside faas_function
 * and a fresh `uid` label (so every deploy of an existing function replaces all its pods),
 * replicas = com.openfaas.scale.min (else 1), and the image pull policy: CE hard-codes Always
 * (deploy.go, update.go); Pro takes functions.imagePullPolicy from the chart.
 */
export function functionDeployment(
  request: FunctionDeployment,
  edition: Edition,
  proPullPolicy: PullPolicy,
  hash: string,
  uid: number,
): Deployment {
  const min = Number.parseInt(request.labels?.['com.openfaas.scale.min'] ?? '', 10);
  return {
    name: request.service,
    replicas: Number.isFinite(min) && min > 0 ? min : 1,
    hash,
    labels: { [FUNCTION_LABEL]: request.service, ...request.labels, uid: String(uid) },
    selector: { [FUNCTION_LABEL]: request.service },
    image: request.image,
    pullPolicy: edition === 'ce' ? 'Always' : proPullPolicy,
    functionLabels: { ...request.labels },
  };
}

/** What the gateway needs from the cluster. */
export interface GatewayHost {
  readonly namespace: string;
  readonly gatewayAuth: { user: string; password: string };
  readonly unexpected: string[];
  readonly requests: string[];
  functions(): Array<{ d: Deployment; available: number }>;
  /** Deploy (update false) or update a function; the HTTP status and text faas-netes answers. */
  deployFunction(request: FunctionDeployment, update: boolean): { code: number; text: string };
}

export async function serveGateway(host: GatewayHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const method = req.method ?? 'GET';
  host.requests.push(`${method} gateway${url.pathname}${url.search}`);
  if (url.pathname !== '/healthz' && url.pathname !== '/system/functions') {
    host.unexpected.push(`${method} gateway${url.pathname}: not an endpoint the backend uses`);
    res.writeHead(404, { 'content-type': 'text/plain' });
    return void res.end('404 page not found\n');
  }
  const allowed = url.pathname === '/healthz' ? ['GET'] : ['GET', 'POST', 'PUT'];
  if (!allowed.includes(method)) {
    host.unexpected.push(`${method} gateway${url.pathname}: method the backend does not use`);
    res.writeHead(405, { allow: allowed.join(', ') });
    return void res.end();
  }
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('OK');
  }
  const expected = `Basic ${Buffer.from(`${host.gatewayAuth.user}:${host.gatewayAuth.password}`).toString('base64')}`;
  if (req.headers.authorization !== expected) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="Restricted"', 'content-type': 'text/plain' });
    return void res.end('invalid credentials\n');
  }
  if (method !== 'GET') {
    const answer = host.deployFunction(JSON.parse(await readBody(req)) as FunctionDeployment, method === 'PUT');
    res.writeHead(answer.code, { 'content-type': 'text/plain' });
    return void res.end(answer.text);
  }
  const ns = url.searchParams.get('namespace') ?? host.namespace;
  const list =
    ns !== host.namespace
      ? []
      : host
          .functions()
          .filter(({ d }) => FUNCTION_LABEL in d.labels)
          .map(({ d, available }) => ({
            name: d.name,
            image: d.image,
            namespace: ns,
            invocationCount: 0,
            replicas: d.replicas,
            availableReplicas: available,
            envProcess: 'node index.js',
            labels: { ...d.functionLabels, [FUNCTION_LABEL]: d.name },
            annotations: { 'com.openfaas.retry.attempts': '0' },
            createdAt: iso(0),
          }));
  return json(res, 200, list);
}
