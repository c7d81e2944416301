/**
 * The openfaas backend trusts no replica count it wrote (issue 19): OpenFaaS Community Edition
 * (faas-netes CE 0.18.16, what chart 14.2.124 installs) runs a Deployment informer that puts any
 * Deployment whose pod template carries `faas_function` back to MaxReplicas = 5 when something
 * sets more, and to 1 when set to 0 (faas-netes pkg/handlers/informers.go, replica_reader.go).
 * The scale PATCH still answers with the count we sent, so only reading it back shows the clamp.
 *
 * - replicaChangeMessage: one line naming the cause and the fix.
 * - probeReplicaCap: the preflight's check, before any episode: set the worker to the count the
 *   configuration needs, watch it for `settleMs`, put it back.
 */
import { FUNCTION_LABEL, type FunctionCluster } from './kube.js';

/** faas-netes CE's MaxReplicas (pkg/handlers/replica_reader.go). */
export const CE_MAX_REPLICAS = 5;

/** Is this Deployment faas-netes's (its selector is faas_function=<name>)? */
export function managedByFaasNetes(selector: string): boolean {
  return selector.split(',').some((term) => term.trim().startsWith(`${FUNCTION_LABEL}=`));
}

/** What CE's informer does to a replica count (informers.go applyValidation). */
export function ceClamp(replicas: number): number {
  return replicas === 0 ? 1 : Math.min(replicas, CE_MAX_REPLICAS);
}

/** One line: the platform changed `deployment`'s replicas from `asked` to `found`. */
export function replicaChangeMessage(deployment: string, asked: number, found: number, faasNetes: boolean): string {
  if (faasNetes && found === ceClamp(asked))
    return (
      `OpenFaaS CE caps function replicas at ${CE_MAX_REPLICAS}: use --mode deployments, a 5-worker scenario, or OpenFaaS Standard ` +
      `(deployments/${deployment} was set to ${asked} and faas-netes put it back to ${found}; ` +
      `scripts/cluster-up.sh --mode deployments, or --scenario scenarios/five-workers.yml)`
    );
  return (
    `something else changed deployments/${deployment}'s replicas from ${asked} to ${found} (an HPA, KEDA or OpenFaaS's own ` +
    `autoscaler?): the openfaas backend must be the only writer of the worker's replica count`
  );
}

export interface CapProbeOptions {
  /** Real ms to watch the written count (CE's informer answers within milliseconds of the write). */
  settleMs?: number;
  pollMs?: number;
}

/**
 * Set `deployment` to `want`, read it back for `settleMs`, restore the previous count. Null if
 * the count held, else the one-line reason. Only Deployments faas-netes manages are probed: the
 * only clamp we know of keys on their `faas_function` label, and probing a plain Deployment
 * would start `want` pods just to remove them (the per-step read-back still watches those).
 */
export async function probeReplicaCap(
  cluster: FunctionCluster,
  deployment: string,
  want: number,
  options: CapProbeOptions = {},
): Promise<string | null> {
  const settleMs = options.settleMs ?? 2000;
  const pollMs = options.pollMs ?? 200;
  const before = await cluster.getScale(deployment);
  const faasNetes = managedByFaasNetes(before.selector);
  if (!faasNetes) return null;
  // Within the cap nothing can be clamped (and a CE cluster treats 0 -> 1 only, which we never ask).
  if (want <= CE_MAX_REPLICAS && want > 0) return null;
  await cluster.setReplicas(deployment, want);
  try {
    const deadline = performance.now() + settleMs;
    for (;;) {
      const found = await cluster.getReplicas(deployment);
      if (found !== want) return replicaChangeMessage(deployment, want, found, faasNetes);
      if (performance.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await cluster.setReplicas(deployment, before.replicas);
  }
}
