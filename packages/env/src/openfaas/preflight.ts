/**
 * Before the openfaas backend does anything: find the cluster, the gateway and Redis, all at
 * once with short deadlines (5 s Kubernetes, 3 s gateway and Redis, in parallel), and if any
 * is missing say which — in ONE line — so a command run with `--backend openfaas` and no
 * cluster exits 2 within seconds instead of hanging or printing a stack trace.
 *
 * Two kinds of farm pass (scripts/cluster-up.sh --mode): functions faas-netes deployed (the
 * worker's selector is faas_function=worker; the gateway must know them) and plain Deployments
 * (--mode deployments; no gateway needed, its problems are not reported). For the first, once
 * everything answers, the replica cap is probed (replica-guard.ts): CE puts more than 5 back.
 */
import { Redis } from 'ioredis';
import { BackendUnavailableError, type Config } from '@autofarm/core';
import { redisOptions, type RedisTarget } from '@autofarm/farm';
import { Gateway, gatewayAuthFromEnv } from './gateway.js';
import { DEFAULT_FUNCTION_LABEL, FunctionCluster, KubeSetupError, loadKube } from './kube.js';
import { managedByFaasNetes, probeReplicaCap } from './replica-guard.js';

export interface OpenFaasTargets {
  cluster: FunctionCluster;
  gateway: Gateway;
  redis: RedisTarget;
}

export interface PreflightOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  kubeTimeoutMs?: number;
  timeoutMs?: number;
  /** Real ms the replica-cap probe watches the worker's count (default 2000). */
  capSettleMs?: number;
}

const FIX = 'scripts/cluster-up.sh sets all of this up (README: "Run on a live cluster")';
const FORWARD = 'port-forward down? scripts/cluster-up.sh --forward-only';

/**
 * Where the backend reaches Redis: configuration.yml's redis block, host null = 127.0.0.1 (the
 * port-forward of scripts/cluster-up.sh); env REDIS_PASSWORD overrides the password.
 */
export function openfaasRedisTarget(config: Config, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const r = config.redis;
  return { host: r.host ?? '127.0.0.1', port: r.port, password: env.REDIS_PASSWORD ?? r.password, tls: r.tls, db: r.db };
}

/** One PING with a deadline; the reason in words if it fails. */
export async function pingRedis(target: RedisTarget, timeoutMs: number): Promise<string | null> {
  // disconnectTimeout: ioredis waits that long (default 2 s) for a refused socket to close,
  // which would hold a failing command's exit for 2 s.
  const redis = new Redis({
    ...redisOptions(target, 'autofarm-openfaas-probe'),
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    disconnectTimeout: 50,
  });
  let last: Error | undefined;
  redis.on('error', (error: Error) => {
    last = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return null;
  } catch (error) {
    const why = (last ?? (error as Error)).message;
    if (/NOAUTH|WRONGPASS|invalid password/i.test(why))
      return (
        `Redis ${target.host}:${target.port} refused the password (${why.split('\n')[0]}; ` +
        `\`source ~/.autofarm/env\` sets REDIS_PASSWORD)`
      );
    return `Redis ${target.host}:${target.port} unreachable (${why}; ${FORWARD})`;
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** Find everything the backend needs, or throw one BackendUnavailableError naming every missing piece. */
export async function connectOpenFaas(config: Config, options: PreflightOptions = {}): Promise<OpenFaasTargets> {
  const env = options.env ?? process.env;
  const o = config.openfaas;
  const timeoutMs = options.timeoutMs ?? 3000;
  const problems: string[] = [];
  const redis = openfaasRedisTarget(config, env);
  const gateway = new Gateway(o.gateway, gatewayAuthFromEnv(env), timeoutMs);

  const label = o.function_label ?? DEFAULT_FUNCTION_LABEL;
  let cluster: FunctionCluster | null = null;
  try {
    const access = loadKube(o.kube_context, env, options.home);
    cluster = new FunctionCluster(access, o.namespace, options.kubeTimeoutMs ?? 5000, label);
  } catch (error) {
    problems.push(error instanceof KubeSetupError ? error.message : `kubeconfig: ${(error as Error).message}`);
  }

  // Plain Deployments (--mode deployments) do not go through the gateway at all.
  let plainDeployments = false;
  const checkKube = async (c: FunctionCluster): Promise<string[]> => {
    const issues: string[] = [];
    const where = `Kubernetes (context ${c.access.context} from ${c.access.source})`;
    try {
      const scale = await c.getScale(o.worker_function);
      plainDeployments = !managedByFaasNetes(scale.selector);
      for (const fn of [o.emitter_function, o.collector_function]) {
        const pods = await c.listPods(fn);
        if (!pods.some((p) => p.ready && !p.terminating))
          issues.push(`function ${fn} has no ready pod labelled ${label}=${fn} in ${o.namespace} (scripts/cluster-up.sh deploys it)`);
      }
    } catch (error) {
      issues.push(`${where}: ${(error as Error).message}`);
    }
    return issues;
  };
  const checkGateway = async (): Promise<string[]> => {
    try {
      await gateway.healthz();
      if (!gateway.authenticated) return [];
      const names = new Set((await gateway.listFunctions(o.namespace)).map((f) => f.name));
      const missing = [o.emitter_function, o.worker_function, o.collector_function].filter((n) => !names.has(n));
      return missing.length > 0
        ? [`gateway ${gateway.url} manages no ${missing.join(', ')} in ${o.namespace} (faas-cli deploy -f functions/stack.yml)`]
        : [];
    } catch (error) {
      const message = (error as Error).message;
      return [/unreachable|no answer/.test(message) ? `${message}; ${FORWARD}` : message];
    }
  };
  const checkRedis = async (): Promise<string[]> => {
    const problem = await pingRedis(redis, timeoutMs);
    return problem ? [problem] : [];
  };

  // In parallel, reported in a fixed order: cluster, gateway, Redis.
  const [kube, gw, rd] = await Promise.all([cluster ? checkKube(cluster) : Promise.resolve([]), checkGateway(), checkRedis()]);
  problems.push(...kube, ...(plainDeployments ? [] : gw), ...rd);
  if (problems.length > 0 || cluster === null)
    throw new BackendUnavailableError(`openfaas backend cannot start: ${problems.join('; ')}. ${FIX}`);
  // Before any episode: does the worker keep the largest count the configuration can ask for?
  let capped: string | null;
  try {
    capped = await probeReplicaCap(cluster, o.worker_function, config.scaling.max_workers, { settleMs: options.capSettleMs });
  } catch (error) {
    throw new BackendUnavailableError(`openfaas backend cannot start: ${(error as Error).message}. ${FIX}`);
  }
  if (capped) throw new BackendUnavailableError(capped);
  return { cluster, gateway, redis };
}
