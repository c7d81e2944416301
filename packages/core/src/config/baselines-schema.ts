/**
 * The `baselines` block of configuration.yml: every platform rule with its platform's documented
 * default (docs/baselines.md names the source of each number).
 */
import { z } from 'zod';

const positive = (d: string) => z.number().positive().describe(d);
const nonNegative = (d: string) => z.number().nonnegative().describe(d);

const hpaPolicySchema = z.strictObject({
  type: z
    .enum(['Pods', 'Percent'])
    .describe('Pods: add/remove at most `value` pods per period; Percent: at most `value` % of the replicas at the period start.'),
  value: z.number().int().positive().describe('Pods or percent per period.'),
  periodSeconds: z.number().int().positive().max(1800).describe('Length of the period the change is counted over, seconds.'),
});

/** One direction of a HorizontalPodAutoscaler `behavior` (spec.behavior.scaleUp / scaleDown), same field names. */
const scalingRulesSchema = (defaults: { stabilizationWindowSeconds: number; policies: Array<z.infer<typeof hpaPolicySchema>> }) =>
  z
    .strictObject({
      stabilizationWindowSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(defaults.stabilizationWindowSeconds)
        .describe('Recommendations of this many past seconds bound the change (scale-up: their minimum; scale-down: their maximum).'),
      selectPolicy: z
        .enum(['Max', 'Min', 'Disabled'])
        .default('Max')
        .describe('Max: the policy allowing the largest change wins; Min: the smallest; Disabled: no change in this direction.'),
      policies: z.array(hpaPolicySchema).min(1).default(defaults.policies).describe('Rate limits, each over its own period.'),
    })
    .prefault({});

/** Kubernetes' defaults for a HorizontalPodAutoscaler without a `behavior` block. */
export const hpaBehaviorSchema = z
  .strictObject({
    scaleUp: scalingRulesSchema({
      stabilizationWindowSeconds: 0,
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: 4, periodSeconds: 15 },
      ],
    }),
    scaleDown: scalingRulesSchema({ stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }),
  })
  .prefault({})
  .describe("The HPA behavior block, as in a HorizontalPodAutoscaler manifest (spec.behavior); defaults are Kubernetes'.");

export type HpaBehaviorConfig = z.infer<typeof hpaBehaviorSchema>;
export type HpaScalingRulesConfig = HpaBehaviorConfig['scaleUp'];

export const baselinesSchema = z
  .strictObject({
    horizon: positive('Planning horizon of the reactive baselines, seconds.').default(8),
    static_workers: z.number().int().positive().nullable().default(null).describe('Worker count of `static` (null = initial_workers).'),
    hpa: z
      .strictObject({
        target_per_worker: positive(
          'In-flight tasks (queued + being processed) per worker the HPA aims at; below 1 it ' +
            'is a utilisation target (0.7 = 70 % busy, the same target as kpa).',
        ).default(0.7),
        tolerance: nonNegative('No action while |ratio - 1| <= tolerance (--horizontal-pod-autoscaler-tolerance).').default(0.1),
        sync_period: positive('Seconds between two HPA evaluations (--horizontal-pod-autoscaler-sync-period).').default(15),
        behavior: hpaBehaviorSchema,
      })
      .prefault({}),
    keda: z
      .strictObject({
        list_length: positive("Target list length per replica (the Redis-list trigger's listLength).").default(5),
        polling_interval: positive(
          'Seconds between two KEDA polls. It governs only activation (0 <-> 1 replicas, unused ' +
            'while min_workers >= 1); 1 <-> N is the HPA (baselines.hpa), which reads the list ' +
            'at each of its syncs.',
        ).default(30),
      })
      .prefault({}),
    kpa: z
      .strictObject({
        target_concurrency: positive('In-flight tasks per worker the KPA aims at.').default(1),
        target_utilization: z.number().gt(0).max(1).default(0.7),
        tick_interval: positive('Seconds between two KPA decisions (the autoscaler tick).').default(2),
        stable_window: positive('Seconds.').default(60),
        panic_window_percentage: z.number().gt(0).max(100).default(10),
        panic_threshold: positive('Panic when desired/ready >= this (2.0 = 200 %).').default(2),
        max_scale_up_rate: positive('At most multiply the ready workers by this per tick (Knative max-scale-up-rate).').default(1000),
        max_scale_down_rate: positive('At most divide the ready workers by this per tick (Knative max-scale-down-rate).').default(2),
      })
      .prefault({}),
    openfaas: z
      .strictObject({
        target: positive(
          'Tasks (queued + in flight) per worker the queue-based mode aims at (com.openfaas.scale.target); ' +
            'a worker runs one task at a time.',
        ).default(1),
        target_proportion: z
          .number()
          .gt(0)
          .max(1)
          .default(1)
          .describe('com.openfaas.scale.target-proportion: scale when load reaches this share of the target.'),
        interval: positive('Seconds between two autoscaler decisions.').default(5),
      })
      .prefault({}),
    queueing: z
      .strictObject({
        target_qos: z.number().gt(0).lt(1).default(0.99).describe('Fraction of tasks that should meet their deadline.'),
        forecast_horizon: nonNegative('Seconds ahead the arrival forecast looks.').default(16),
        drain_time: positive('Seconds in which the current backlog should be drained.').default(8),
        holt_alpha: z.number().gt(0).max(1).default(0.5),
        holt_beta: z.number().min(0).max(1).default(0.3),
      })
      .prefault({}),
    reserve: z
      .strictObject({
        reserve: z
          .number()
          .min(0)
          .max(1)
          .default(0.3)
          .describe("Share of the range above the M/G/c-sized count kept in reserve (one of the general agents' actions, held fixed)."),
        scale_down_limit: z
          .number()
          .gt(0)
          .max(1)
          .default(0.03)
          .describe('Largest share of the workers one decision removes (as general.scale_down_limit).'),
        cadence: positive('Seconds between two decisions (as general.cadence).').default(2),
      })
      .prefault({})
      .describe(
        "`reserve`: the general agents' action held fixed; no platform ships it, so its default is the middle of the agents' range.",
      ),
    oracle: z
      .strictObject({
        target_qos: z.number().gt(0).lt(1).default(0.99).describe('Fraction of tasks that should meet their deadline.'),
      })
      .prefault({}),
  })
  .prefault({});
