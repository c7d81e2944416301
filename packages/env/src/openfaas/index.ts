/**
 * `@autofarm/env/openfaas`: the farm on OpenFaaS in Kubernetes. Behind a subpath so importing
 * the simulator never loads ioredis or the Kubernetes client; createEnv imports it on demand.
 */
export {
  ACKED_POD_DELETION_COST,
  OpenFaasBackend,
  createOpenFaasBackend,
  type OpenFaasBackendOptions,
  type OpenFaasStats,
} from './openfaas-backend.js';
export { connectOpenFaas, openfaasRedisTarget, pingRedis, type OpenFaasTargets, type PreflightOptions } from './preflight.js';
export {
  FunctionCluster,
  KubeSetupError,
  loadKube,
  podInfo,
  describeKubeError,
  FUNCTION_LABEL,
  POD_DELETION_COST,
  type KubeAccess,
  type PodInfo,
} from './kube.js';
export { Gateway, gatewayAuthFromEnv, type FunctionStatus, type GatewayAuth } from './gateway.js';
