/**
 * The `training` and `general` blocks: which training mode the train-* commands use, and the
 * general mode's workload distribution, prices and hyper-parameters (docs/general-training.md).
 *
 * - `original` (the schema default, so an existing configuration keeps training exactly as
 *   before): the original's 9-number observation, its shaped reward with `balanced_workers`,
 *   ±scaling.max_delta actions, one fixed workload.
 * - `general` (configuration.yml sets it): domain-randomised workloads, load features that carry
 *   over between farms, a price per worker-second and per missed deadline, reserves over a
 *   queueing-model sizing, decided every general.cadence seconds.
 */
import { z } from 'zod';

const range = (lo: number, hi: number, d: string) =>
  z
    .tuple([z.number().nonnegative(), z.number().nonnegative()])
    .default([lo, hi])
    .refine(([a, b]) => a <= b, { message: 'expected [low, high] with low <= high' })
    .describe(d);

export const TRAINING_MODES = ['original', 'general'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];

export const trainingSchema = z.strictObject({
  mode: z
    .enum(TRAINING_MODES)
    .default('original')
    .describe(
      "original: the prototype's observation, shaped reward and ±max_delta actions on config.workload " +
        '(reproduces its experiment); general: domain-randomised workloads, load features, ' +
        'prices and a queueing-model sizing with a reserve every general.cadence seconds (docs/general-training.md).',
    ),
});

export const domainSchema = z.strictObject({
  phases: range(2, 6, 'Phases per training episode, [low, high] (integers).'),
  phase_duration: range(30, 90, 'Seconds per phase, [low, high].'),
  multiplier: range(0.15, 1.0, "Phase level relative to the episode's peak, [low, high]."),
  spike_height: range(1.5, 3.5, 'Spike height as a multiple of its phase level, [low, high].'),
  task_time_mean: range(0.4, 3.5, 'Mean task time in seconds, log-uniform in [low, high].'),
  farm_scale: range(0.125, 4, 'max_workers = max(4, round(32 x scale)), log-uniform in [low, high]; the arrival rate follows.'),
  peak_utilisation: range(0.35, 0.8, 'Peak arrival rate x mean task time / max_workers, [low, high]: the farm can always serve the peak.'),
  controlled_share: z
    .number()
    .min(0)
    .max(1)
    .default(0.2)
    .describe('Share of episodes with the controlled (constant-rate) arrival process instead of nhpp.'),
  recurring_share: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("Share of episodes whose phases recur as days (workload.repeat): the history the agents' forecast learns from."),
  days: range(3, 5, 'Days of a recurring episode, [low, high] (integers).'),
  level_jitter: range(0.05, 0.25, "A recurring episode's workload.repeat.level_jitter, [low, high]."),
  time_jitter: range(0, 0.15, "A recurring episode's workload.repeat.time_jitter, [low, high]."),
});

export const generalSarsaSchema = z.strictObject({
  episodes: z.number().int().positive().default(1500).describe('Training episodes (each on a new random workload).'),
  alpha: z.number().positive().default(0.05).describe('Learning rate.'),
  gamma: z
    .number()
    .min(0)
    .max(1)
    .default(0.975)
    .describe('Discount per decision: 0.975 looks ~40 decisions (80 s at 2 s) ahead, past a cold start and a queue drain.'),
  epsilon: z.number().min(0).max(1).default(0.3).describe('Initial exploration rate.'),
  epsilon_min: z.number().min(0).max(1).default(0.05).describe('Exploration floor.'),
  epsilon_decay: z.number().gt(0).max(1).default(0.999).describe('Multiplicative decay per episode.'),
  lambda: z.number().min(0).max(1).default(0.5).describe('Eligibility-trace decay.'),
});

export const generalDqnSchema = z.strictObject({
  episodes: z.number().int().positive().default(150).describe('Training episodes (each on a new random workload).'),
  gamma: z.number().min(0).max(1).default(0.975).describe('Discount per decision (~40 decisions, 80 s at 2 s).'),
  learning_rate: z.number().positive().default(1e-3).describe('Adam learning rate.'),
  epsilon_start: z.number().min(0).max(1).default(0.6),
  epsilon_end: z.number().min(0).max(1).default(0.03),
  epsilon_decay: z.number().gt(0).max(1).default(0.97).describe('Multiplicative decay per episode.'),
  batch_size: z.number().int().positive().default(64),
  hidden_layers: z.array(z.number().int().positive()).min(1).default([64, 64]),
  train_every: z
    .number()
    .int()
    .positive()
    .default(8)
    .describe('Env steps between two gradient updates (1 = every step, as the original); 8 decisions of 2 s = 16 s.'),
  target_tau: z.number().gt(0).max(1).default(0.02).describe('Polyak factor.'),
  warmup_steps: z.number().int().nonnegative().default(300),
  crn_horizon: z
    .number()
    .nonnegative()
    .default(40)
    .describe(
      'Seconds of common-random-numbers rollouts (0 = off: the Double-DQN TD learner): every decision, each action is held ' +
        "on a fork of the simulator that shares the future, and the network regresses the actions' costs (training only; " +
        '40 chose on validation workloads over 16 and 80).',
    ),
});

export const generalSchema = z.strictObject({
  miss_price: z
    .number()
    .positive()
    .default(100)
    .describe(
      'Price of one missed deadline in worker-seconds (a worker-second costs 1): 100 means ' +
        'keeping a worker 100 s is worth saving one miss (docs/general-training.md).',
    ),
  cadence: z
    .number()
    .positive()
    .default(2)
    .describe(
      'Seconds between two decisions of a general agent, in training (one env step each) and deployed ' +
        '(native actuation decides inside the env step); 2 s is the KPA tick.',
    ),
  action_reserves: z
    .array(z.number().min(0).max(1))
    .min(2)
    .default([0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1])
    .refine((g) => g.every((x, i) => i === 0 || x > (g[i - 1] as number)), { message: 'expected strictly increasing reserves' })
    .describe(
      'Actions: a reserve g sizes the farm with the M/G/c deadline model for the measured arrivals and ' +
        'keeps g of the range above that count (up to max_workers) in reserve (docs/general-training.md). ' +
        'Strictly increasing: a greedy tie picks the middle one.',
    ),
  scale_down_limit: z
    .number()
    .gt(0)
    .max(1)
    .default(0.03)
    .describe(
      'Largest share of the workers one decision of a general agent may remove (at least one worker); ' +
        'scaling up is not limited. 3 % per 2 s decision is ~11 % per 8 s.',
    ),
  domain: domainSchema.prefault({}),
  sarsa: generalSarsaSchema.prefault({}),
  dqn: generalDqnSchema.prefault({}),
});

export type TrainingConfig = z.infer<typeof trainingSchema>;
export type GeneralConfig = z.infer<typeof generalSchema>;
export type DomainConfig = z.infer<typeof domainSchema>;
