/**
 * `baselines.predictive`: the predictive rule as production builds it (anchors §B.3, §F.2): the
 * forecaster of core/forecast sets a floor, the observed rate backs it up, capacity is launched
 * a cold start ahead, scale-in follows observed decreases only.
 */
import { z } from 'zod';

export const predictiveSchema = z
  .strictObject({
    target_qos: z.number().gt(0).lt(1).default(0.99).describe('Fraction of tasks the M/G/c sizing aims to serve within their deadline.'),
    quantile: z
      .number()
      .min(0.5)
      .max(0.999)
      .default(0.9)
      .describe("The main knob: upper quantile of the forecaster's own recent errors added to its forecast (the price of uncertainty)."),
    cadence: z.number().positive().max(60).default(2).describe('Seconds between two decisions (and the forecast bin).'),
    lead: z
      .number()
      .nonnegative()
      .nullable()
      .default(null)
      .describe('Seconds capacity is launched ahead; null = sim.scale_up_delay (the cold start). The horizon is lead + cadence.'),
    observed_window: z
      .number()
      .positive()
      .default(8)
      .describe('Seconds of counted arrivals the observed (reactive) rate is averaged over.'),
    scale_in_window: z
      .number()
      .nonnegative()
      .default(30)
      .describe('Scale-in only to the size the rate observed over this many past seconds needs (never on a forecast alone).'),
    drain_time: z.number().positive().default(8).describe('Seconds in which the current backlog should be drained (added as extra rate).'),
  })
  .prefault({})
  .describe('The predictive rule: max(forecast upper quantile, observed rate) through the M/G/c sizing, launched a cold start ahead.');

export type PredictiveConfig = z.infer<typeof predictiveSchema>;
