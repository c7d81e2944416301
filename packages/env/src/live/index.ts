/**
 * `@autofarm/env/live`: a policy as a running autoscaler against a farm that is already serving
 * (controller.ts), the targets it scales (local farm via Redis keys, the OpenFaaS worker
 * Deployment), its Prometheus metrics, and `load`, the farm a person runs to watch it work.
 * Behind a subpath: it loads ioredis, prom-client and (on demand) the Kubernetes client.
 */
export { runAutoscaler, type AutoscalerOptions, type AutoscaleSummary, type DecisionRecord, type DecisionReason } from './controller.js';
export { boundDesired, RemovalWindow, type Bound, type BoundsInput } from './bounds.js';
export { AutoscaleMetrics, serveMetrics } from './metrics.js';
export { LocalScaleTarget, liveKeys, type LocalFarmStatus, type ScaleTarget, type TargetStatus } from './scale-target.js';
export { runLoad, repeatPhases, type LoadOptions, type LoadSummary } from './load.js';
export { connectLive, type LiveConnection } from './connect.js';
