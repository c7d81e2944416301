/**
 * The `tuned` block of configuration.yml: each rule's knobs as `autofarm tune --agent NAME`
 * chose them on the general domain's validation workloads (never a benchmark scenario or its
 * seeds), at the agents' price. `NAME-tuned` runs the rule with these values; the knob names
 * and what each sets are the baselines' tuning registry (packages/baselines/src/tuning.ts),
 * which checks this block when a tuned rule is built.
 */
import { z } from 'zod';

export const tunedSchema = z
  .record(
    z.string(),
    z.record(z.string(), z.number()).describe("One rule's chosen knob values, by knob name (e.g. kpa: { target_utilization: 0.5 })."),
  )
  .default({})
  .describe('Knob values `autofarm tune` chose per rule; `<rule>-tuned` runs the rule with them. Empty = no calibrated rows.');

export type TunedConfig = z.infer<typeof tunedSchema>;
