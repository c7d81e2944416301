/**
 * The `autoscale` block: how `autofarm autoscale` runs a policy against a live farm — its
 * safety net (fallback rule, stale-signal limit, scale-down cap), where it serves /metrics, and
 * where the local quick start's two processes (`load` and `autoscale`) meet in Redis.
 * Durations are program seconds (local.time_scale divides them on the local backend).
 */
import { z } from 'zod';

export const autoscaleSchema = z.strictObject({
  fallback: z
    .string()
    .min(1)
    .default('kpa')
    .describe(
      'Policy that decides when the chosen one cannot: its model fails to load or it throws, ' +
        'its answer is not a finite number, or the signals are stale. A reactive platform rule ' +
        "at this configuration's baselines values (kpa: Knative's 2 s tick).",
    ),
  stale_after: z
    .number()
    .positive()
    .default(30)
    .describe(
      "Seconds without movement of the emitter's counter, or without an answer from Redis, " +
        'after which the signals count as stale and the fallback decides.',
    ),
  // Half of the default range (32) per minute: a policy that asks for the minimum right after a
  // peak still gets there in two minutes, yet one bad decision cannot empty the farm at once.
  scale_down_per_minute: z.number().int().min(1).default(16).describe('Most workers removed within any 60 s; scaling up is not capped.'),
  listen: z.string().min(1).default('127.0.0.1').describe('Address /metrics, /healthz and /readyz listen on (0.0.0.0 in a pod).'),
  port: z.number().int().min(0).max(65535).default(9464).describe('Port of /metrics, /healthz and /readyz (0 = any free port).'),
  local_redis_port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(6399)
    .describe(
      'With redis.host null, `autofarm load --backend local` starts redis-server on this ' +
        'loopback port and `autofarm autoscale --backend local` looks for the farm there.',
    ),
  key_prefix: z
    .string()
    .min(1)
    .default('autofarm:autoscale')
    .describe("Redis keys of the local farm's scale target: <prefix>:desired (the controller's) and <prefix>:status (the farm's)."),
});

export type AutoscaleConfig = z.infer<typeof autoscaleSchema>;
