/**
 * The schema of configuration.yml: the one source of truth for every setting. Types come from
 * `z.infer`; every field is described (the descriptions end up in the JSON Schema editors use).
 * Defaults are the original system's values (docs/original-system.md §2, §4.4, §7,
 * §9, §10) unless a comment says why we differ.
 */
import { z } from 'zod';
import { baselinesSchema } from './baselines-schema.js';
import { generalSchema, trainingSchema } from './general-schema.js';
import { tunedSchema } from './tuned-schema.js';
import { autoscaleSchema } from './autoscale-schema.js';
import { ACTUATIONS } from '../actuation.js';
import { repeatSchema } from './repeat-schema.js';
import { openfaasSchema } from './openfaas-schema.js';

export * from './general-schema.js';
export * from './tuned-schema.js';
export * from './repeat-schema.js';
export * from './predictive-schema.js';
export * from './openfaas-schema.js';
export { autoscaleSchema, type AutoscaleConfig } from './autoscale-schema.js';
export { baselinesSchema, hpaBehaviorSchema, type HpaBehaviorConfig, type HpaScalingRulesConfig } from './baselines-schema.js';

const positive = (d: string) => z.number().positive().describe(d);
const nonNegative = (d: string) => z.number().nonnegative().describe(d);
const count = (d: string) => z.number().int().nonnegative().describe(d);

export const PATTERNS = ['steady', 'oscillation_slow', 'oscillation_fast', 'oscillation', 'spike', 'ramp', 'trace'] as const;

export const phaseSchema = z
  .strictObject({
    name: z.string().min(1).describe('Human-readable phase name, shown in logs and plots.'),
    pattern: z.enum(PATTERNS).describe('Rate pattern of the phase.'),
    multiplier: nonNegative('Mean rate of the phase as a multiple of workload.base_rate.'),
    duration: positive('Phase length in seconds.'),
    oscillation: z
      .strictObject({
        min: nonNegative('Lowest multiplier of the oscillation.'),
        max: nonNegative('Highest multiplier of the oscillation.'),
        cycles: positive('Full sine periods within the phase.'),
      })
      .optional()
      .describe('Required for oscillation patterns: rate = base_rate * (mid + amp * sin(2*pi*cycles*t/duration)).'),
    spike: z
      .strictObject({
        at: z.number().min(0).max(1).describe('Start of the spike as a fraction of the phase.'),
        width: z.number().gt(0).max(1).describe('Length of the spike as a fraction of the phase.'),
        height: nonNegative('Multiplier during the spike (outside it the rate is `multiplier`).'),
      })
      .optional()
      .describe('Required for the spike pattern.'),
    ramp: z
      .strictObject({
        from: nonNegative('Multiplier at the start of the phase.'),
        to: nonNegative('Multiplier at the end of the phase.'),
      })
      .optional()
      .describe('Required for the ramp pattern: the rate moves linearly from `from` to `to`.'),
    trace: z
      .strictObject({
        file: z
          .string()
          .min(1)
          .optional()
          .describe(
            'CSV of arrival counts, one interval per line (the last column is the count; a header ' +
              'line and # comments are skipped); relative to the file that names it.',
          ),
        interval: positive('Seconds each count covers: 1 for per-second counts, 60 for per-minute ones.').default(60),
        counts: z.array(z.number().nonnegative()).min(1).optional().describe('The counts themselves; filled from `file` by the loader.'),
      })
      .optional()
      .describe(
        'Required for the trace pattern: the rate follows the counts (shape only: the phase ' +
          'mean is multiplier x base_rate; set base_rate to the trace mean per minute and multiplier ' +
          '1 to replay it at its own level). The trace repeats if the phase is longer.',
      ),
  })
  .superRefine((phase, ctx) => {
    const needs = (key: 'oscillation' | 'spike' | 'ramp' | 'trace') => {
      if (phase[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `required for pattern "${phase.pattern}" (expected an object, found nothing)`,
        });
      }
    };
    if (phase.pattern.startsWith('oscillation')) {
      needs('oscillation');
      if (phase.oscillation && phase.oscillation.min > phase.oscillation.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['oscillation', 'min'],
          message: `expected min <= max, found min ${phase.oscillation.min} > max ${phase.oscillation.max}`,
        });
      }
    }
    if (phase.pattern === 'spike') needs('spike');
    if (phase.pattern === 'ramp') needs('ramp');
    if (phase.pattern === 'trace') {
      needs('trace');
      if (phase.trace && phase.trace.file === undefined && phase.trace.counts === undefined) {
        ctx.addIssue({ code: 'custom', path: ['trace', 'file'], message: 'expected a CSV file (or counts), found nothing' });
      }
    }
  });

export const workloadSchema = z.strictObject({
  base_rate: positive('Base arrival rate in tasks per MINUTE (phase multipliers scale it).').default(300),
  arrival_process: z
    .enum(['nhpp', 'controlled'])
    .default('nhpp')
    .describe(
      'nhpp: non-homogeneous Poisson process following the pattern rate. controlled: the ' +
        "original's exact count per phase (floor(base_rate*multiplier*duration/60)) spread " +
        'as a homogeneous stream.',
    ),
  window_duration: positive('Pacing window of the controlled process, seconds.').default(1),
  phase_shuffle: z.boolean().default(false).describe('Shuffle the phase order every episode.'),
  phase_shuffle_seed: z
    .number()
    .int()
    .nullable()
    .default(null)
    .describe('Seed of the phase-order stream; null derives it from the episode seed (a new order each episode).'),
  phases: z.array(phaseSchema).min(1).describe('The phases of one episode, in order.'),
  repeat: repeatSchema,
});

export const tasksSchema = z.strictObject({
  processing_time: z
    .strictObject({
      mean: positive('Mean of the gamma-distributed processing time, seconds.').default(1.5),
      shape: positive('Gamma shape k (scale = mean / k).').default(4),
    })
    .prefault({}),
  image_size: z
    .strictObject({
      min: z.number().int().positive().default(512).describe('Smallest image side, pixels.'),
      max: z.number().int().positive().default(4096).describe('Largest image side, pixels.'),
    })
    .prefault({}),
  deadline: z
    .strictObject({
      coefficient: positive('Deadline = coefficient x simulated processing time (then clamped).').default(2),
      floor: nonNegative('Smallest deadline, seconds.').default(0.1),
      cap: positive('Largest deadline, seconds.').default(30),
    })
    .prefault({}),
  work: z
    .enum(['emulate', 'image'])
    .default('emulate')
    .describe('Worker work: emulate = hold for the sampled time (as the original); image = run the real image pipeline.'),
});

export const calibratedModelSchema = z.strictObject({
  a: positive('Seconds per pixel^2 of the fitted model time = a*size^2 + b.').default(1.7099013205346125e-7),
  b: nonNegative('Constant term of the fitted model, seconds.').default(0.0016654777540409116),
  r_squared: z.number().min(0).max(1).nullable().default(0.9999039500142295).describe('R^2 of the fit (informational).'),
  seed: z.number().int().nullable().default(42).describe('Seed used by the calibration run (informational).'),
});

export const scalingSchema = z
  .strictObject({
    min_workers: z.number().int().min(1).default(1).describe('Fewest workers the actuator allows.'),
    max_workers: z.number().int().min(1).max(1024).default(32).describe('Most workers the actuator allows.'),
    initial_workers: z.number().int().min(1).default(12).describe('Workers at the start of every episode.'),
    max_delta: z.number().int().min(1).max(32).default(1).describe('Largest change per step; actions are {-max_delta..+max_delta}.'),
  })
  .superRefine((s, ctx) => {
    if (s.min_workers > s.max_workers) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_workers'],
        message: `expected <= max_workers (${s.max_workers}), found ${s.min_workers}`,
      });
      // With min > max the range is empty: one issue (min_workers) says so, not a second "within [40, 32]".
    } else if (s.initial_workers < s.min_workers || s.initial_workers > s.max_workers) {
      ctx.addIssue({
        code: 'custom',
        path: ['initial_workers'],
        message: `expected within [${s.min_workers}, ${s.max_workers}], found ${s.initial_workers}`,
      });
    }
  });

export const episodeSchema = z.strictObject({
  step_duration: positive('Seconds between two decisions.').default(8),
  observation_window: positive('Seconds of completed tasks the latency and QoS observations look back over.').default(8),
  // The original's 30 x 8 s ended exactly with the last arrivals; 40 steps leave room to drain.
  max_steps: z.number().int().positive().default(40).describe('Step limit; the episode is truncated there.'),
  empty_window_qos: z.number().min(0).max(1).default(1).describe('qos_rate reported when no task completed in the window (original: 1.0).'),
  empty_window_latency: nonNegative('avg_time / max_time reported when no task completed in the window (original: 1.5).').default(1.5),
});

export const simSchema = z.strictObject({
  // Reference §5.5: scaling up one worker took 5-7 s on the live cluster.
  scale_up_delay: nonNegative('Cold start: seconds from a scale-up decision until the new worker takes tasks.').default(6),
  dispatch_latency: nonNegative('Seconds from a task being queued (or a worker freeing) to the worker starting it.').default(0.002),
  collect_latency: nonNegative('Seconds from a worker pushing a result to the collector judging it.').default(0.002),
  poll_interval: nonNegative(
    'Idle poll period of workers and collector, seconds (0 = blocking pops, as our farm does; the original polled every 0.1 s).',
  ).default(0),
});

export const redisSchema = z.strictObject({
  host: z
    .string()
    .nullable()
    .default(null)
    .describe('Redis host; null lets the local backend start its own redis-server on a free loopback port.'),
  port: z.number().int().min(1).max(65535).default(6379).describe('Redis port.'),
  password: z.string().nullable().default(null).describe('Redis password (env REDIS_PASSWORD overrides).'),
  tls: z.boolean().default(false).describe('Connect with TLS.'),
  db: z.number().int().min(0).default(0).describe('Database index.'),
});

export const queuesSchema = z.strictObject({
  input: z.string().default('input_queue'),
  worker: z.string().default('worker_queue'),
  result: z.string().default('result_queue'),
  output: z.string().default('output_queue'),
  emitter_control_syn: z.string().default('emitter_control_syn_queue'),
  worker_control_syn: z.string().default('worker_control_syn_queue'),
  worker_control_ack: z.string().default('worker_control_ack_queue'),
  collector_control_syn: z.string().default('collector_control_syn_queue'),
  emitter_start: z.string().default('emitter_start_queue'),
  worker_start: z.string().default('worker_start_queue'),
  collector_start: z.string().default('collector_start_queue'),
  dead_letter: z.string().default('dead_letter_queue'),
});

export const localSchema = z.strictObject({
  time_scale: z
    .number()
    .positive()
    .max(100)
    .default(1)
    .describe('Divide every duration (arrivals, processing, steps) by this on the local backend.'),
  redis_server: z.string().default('redis-server').describe('redis-server binary the local backend starts when redis.host is null.'),
  appendfsync: z
    .enum(['always', 'everysec', 'no'])
    .default('everysec')
    .describe("fsync policy of the private redis-server's append-only file."),
  // A Node process start costs 0.3-1 s of real time, which time_scale 10 would turn into 3-10
  // program seconds of cold start; pre-started workers keep the cold start scale-free (~ms).
  warm_pool: z
    .number()
    .int()
    .min(0)
    .max(32)
    .default(2)
    .describe(
      'Worker processes kept started and connected in standby so a scale-up does not wait ' +
        'for a process start (0 = spawn on demand: the real process start is the cold start).',
    ),
});

export const rewardSchema = z.strictObject({
  target_qos: z.number().min(0).max(1).default(0.95).describe('q*: QoS the reward aims at.'),
  queue_target: positive('Q*: worker-queue length counted as a full backlog.').default(30),
  balanced_workers: z
    .number()
    .nonnegative()
    .nullable()
    .default(13)
    .describe('W_b: workers above this cost efficiency when idle (null = initial_workers).'),
  idle_queue_threshold: z
    .number()
    .nonnegative()
    .nullable()
    .default(8)
    .describe('θ: queue length below which the farm counts as idle (null = 0.25 * queue_target).'),
  unfinished_penalty_scale: nonNegative('Penalty per unfinished task at truncation.').default(2),
  unfinished_penalty_cap: z
    .number()
    .nonnegative()
    .nullable()
    .default(null)
    .describe('Most unfinished tasks penalised (null = queue_target, as the original).'),
  completion_bonus: nonNegative('Bonus when all work is done before the step limit.').default(8),
  weights: z
    .strictObject({
      qos: nonNegative('w_qos').default(36),
      backlog: nonNegative('w_bl').default(2.5),
      scaling: nonNegative('w_sc').default(0.08),
      efficiency: nonNegative(
        'w_eff: per worker above balanced_workers while the farm is idle and healthy (the ' +
          'original used 0.05 with 14 balanced workers; 0.3 with 13 lets the agents trim workers, ' +
          'see README)',
      ).default(0.3),
      scale_up: nonNegative('w_up: bonus for scaling up when overloaded').default(5.5),
      scale_down: nonNegative('w_down: bonus for scaling down when not overloaded').default(0.1),
    })
    .prefault({}),
});

export const sarsaSchema = z.strictObject({
  alpha: positive('Learning rate.').default(0.025),
  gamma: z.number().min(0).max(1).default(0.985).describe('Discount.'),
  epsilon: z.number().min(0).max(1).default(0.4).describe('Initial exploration rate.'),
  epsilon_min: z.number().min(0).max(1).default(0.1).describe('Exploration floor.'),
  epsilon_decay: z.number().gt(0).max(1).default(0.995).describe('Multiplicative decay per episode.'),
  lambda: z.number().min(0).max(1).default(0.5).describe('Eligibility-trace decay (0 = one-step SARSA).'),
  trace: z.enum(['accumulating', 'replacing']).default('accumulating').describe('Eligibility-trace kind.'),
  trace_threshold: nonNegative('Traces below this are dropped.').default(1e-5),
  reward_offset: z
    .number()
    .default(0)
    .describe(
      'Subtracted from every reward before learning (0 = the original). About the healthy ' +
        'per-step reward, it keeps values from growing with the steps left, which the observation ' +
        'cannot see.',
    ),
  episodes: z.number().int().positive().default(100).describe('Training episodes.'),
  bins: z
    .record(z.string(), z.array(z.number()))
    .default({})
    .describe("Bin edges per observation component (e.g. worker_q: [0.5, 2.5]); a component not listed uses the original's default edges."),
});

export const dqnSchema = z.strictObject({
  gamma: z.number().min(0).max(1).default(0.97),
  learning_rate: positive('Adam learning rate.').default(3e-4),
  epsilon_start: z.number().min(0).max(1).default(0.8),
  epsilon_end: z.number().min(0).max(1).default(0.05),
  epsilon_decay: z.number().gt(0).max(1).default(0.98).describe('Multiplicative decay per episode.'),
  batch_size: z.number().int().positive().default(64),
  replay_capacity: z.number().int().positive().default(75000),
  target_update: z.number().int().positive().default(1).describe('Gradient updates between two Polyak target updates.'),
  target_tau: z.number().gt(0).max(1).default(0.01).describe('Polyak factor (1.0 = hard copy).'),
  warmup_steps: count('Transitions collected before learning starts.').default(400),
  max_grad_norm: nonNegative('Global gradient-norm clip (0 disables).').default(3),
  hidden_layers: z.array(z.number().int().positive()).min(1).default([128, 64]),
  reward_clip: positive('Rewards are clipped to ±this before learning.').default(100),
  reward_offset: z
    .number()
    .default(0)
    .describe(
      'Subtracted from every reward before clipping and learning (0 = the original); about ' +
        'the healthy per-step reward, it keeps Q-values near 0 so the small gaps between ' +
        'actions are not lost in the value of the steps left.',
    ),
  episodes: z.number().int().positive().default(120).describe('Training episodes.'),
});

export const configSchema = z.strictObject({
  backend: z
    .enum(['sim', 'local', 'openfaas'])
    .default('sim')
    .describe('Which farm runs: sim (in-process model), local (real Redis + processes), openfaas (live cluster).'),
  seed: z.number().int().default(42).describe('Base seed of every command (flags override).'),
  actuation: z
    .enum(ACTUATIONS)
    .default('native')
    .describe(
      'How evaluated policies act: native = each at its own cadence and rate limits (HPA ' +
        'every 15 s, KPA every 2 s, ...); step = one decision per env step of at most ±scaling.max_delta, ' +
        'as in the original experiment.',
    ),
  workload: workloadSchema,
  tasks: tasksSchema.prefault({}),
  calibrated_model: calibratedModelSchema.prefault({}),
  scaling: scalingSchema.prefault({}),
  episode: episodeSchema.prefault({}),
  reward: rewardSchema.prefault({}),
  sim: simSchema.prefault({}),
  redis: redisSchema.prefault({}),
  queues: queuesSchema.prefault({}),
  local: localSchema.prefault({}),
  openfaas: openfaasSchema.prefault({}),
  sarsa: sarsaSchema.prefault({}),
  dqn: dqnSchema.prefault({}),
  training: trainingSchema.prefault({}),
  general: generalSchema.prefault({}),
  baselines: baselinesSchema,
  tuned: tunedSchema,
  autoscale: autoscaleSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type Phase = z.infer<typeof phaseSchema>;
export type WorkloadConfig = z.infer<typeof workloadSchema>;
export type TasksConfig = z.infer<typeof tasksSchema>;
export type CalibratedModel = z.infer<typeof calibratedModelSchema>;
export type RewardConfig = z.infer<typeof rewardSchema>;
export type SarsaConfig = z.infer<typeof sarsaSchema>;
export type DqnConfig = z.infer<typeof dqnSchema>;
export type BaselinesConfig = z.infer<typeof baselinesSchema>;
