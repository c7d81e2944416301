/**
 * What the two backends over a real Redis farm (local, openfaas) share: the episode's stepping
 * and WindowMetrics (episode.ts), the counters and output history read from Redis (metrics.ts),
 * clearing the farm's keys (keys.ts) and deadlines (wait.ts). Clamping the worker count is
 * every backend's, so it sits with the contract (../backend.ts clampWorkers).
 */
export { RedisEpisode, REDIS_GONE_MS, type RedisEpisodeOptions, type WorkerView } from './episode.js';
export { OutputHistory, readCounters, type FarmCounters } from './metrics.js';
export { clearFarmKeys } from './keys.js';
export { settlesWithin, withTimeout } from './wait.js';
