/**
 * `workload.repeat`: a scenario's phases played as several "days" in one episode, each day drawn
 * from the episode seed with its own level and phase timing (packages/workload/src/repeat.ts).
 * Recurring load is what predictive scalers learn from (AWS asks for >= 24 h of history).
 */
import { z } from 'zod';

export const repeatSchema = z
  .strictObject({
    times: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .describe('Days per episode: the phase list is played this many times (1 = one-shot).'),
    level_jitter: z
      .number()
      .min(0)
      .max(0.9)
      .default(0)
      .describe("Each day's rate is multiplied by U(1 - level_jitter, 1 + level_jitter), drawn per day from the episode seed."),
    time_jitter: z
      .number()
      .min(0)
      .max(0.45)
      .default(0)
      .describe(
        'Each boundary between two phases of a day moves by up to this fraction of the shorter of them; a one-phase ' +
          'day shifts its pattern (circularly) by up to this fraction of the phase instead. Days keep their length.',
      ),
  })
  .prefault({})
  .describe('Repeat the phases as days within one episode, each with a jittered level and timing (fresh arrivals every day).');

export type RepeatConfig = z.infer<typeof repeatSchema>;
