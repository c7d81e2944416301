/**
 * Evaluation: roll a policy out on an env for given seeds and record every episode in the
 * output contract of records.ts. The same function serves compare-policies, the test-*
 * commands and checkpoint evaluation during training.
 *
 * The driver owns actuation (core's actuation.ts): under `native` a policy decides at its own
 * cadence — on a step boundary its decision is the step's action, between boundaries the env
 * pauses inside the step — and may move the count anywhere in the range; under `step` it decides
 * once per step, at most ±scaling.max_delta. Decision times are k × cadence on the episode's
 * nominal clock: HPA's 15 s on 8 s steps decides at 0 (step 1), 15 (7 s into step 2), 30 (6 s
 * into step 4), ...
 */
import {
  decisionCadence,
  decisionLimit,
  limitDelta,
  UsageError,
  type Actuation,
  type Hindsight,
  type Config,
  type Env,
  type Observation,
  type Policy,
  type PolicyContext,
  type StepInfo,
  type WorkloadSchedule,
} from '@autofarm/core';
import { episodePlan, scheduleOf } from '@autofarm/workload';
import { EpisodeRecorder } from './episode-stats.js';
import type { EpisodeRecord } from './records.js';

export interface RunEpisodeOptions {
  seed: number;
  /** Needed for clairvoyant policies (the oracle); built from the config when omitted. */
  config?: Config;
  /** Default: config.actuation, else native. */
  actuation?: Actuation;
  onStep?: (info: StepInfo, reward: number) => void;
}

/** The workload schedule of the episode with this seed (what the oracle may read). */
export function scheduleFor(config: Config, seed: number): WorkloadSchedule {
  return scheduleOf(episodePlan(config.workload, seed));
}

/** Float noise allowance when comparing decision times with step boundaries (seconds). */
const EPS = 1e-9;

export async function runEpisode(env: Env, policy: Policy, options: RunEpisodeOptions): Promise<EpisodeRecord> {
  const cfg = options.config ?? (env as { config?: Config }).config;
  if (policy.clairvoyant && !cfg) throw new Error(`${policy.name} needs the workload schedule: pass config to runEpisode`);
  const schedule = policy.clairvoyant && cfg ? scheduleFor(cfg, options.seed) : undefined;
  const forecast = env.forecast?.bind(env);
  if (policy.hindsight && !forecast)
    throw new UsageError(`${policy.name} plans on the realized future with the simulator: it runs only on --backend sim`);
  const hindsight: Hindsight | undefined = policy.hindsight && forecast ? { fork: forecast } : undefined;
  const actuation = options.actuation ?? cfg?.actuation ?? 'native';
  const { bounds } = env;
  const cadence = decisionCadence(policy, actuation, bounds);
  const limit = decisionLimit(actuation, bounds);
  const stepLength = bounds.stepDuration;

  policy.reset();
  let { observation, info } = await env.reset({ seed: options.seed });
  const recorder = new EpisodeRecorder(options.seed, info);
  let decided = 0; // decisions so far: the next one is due at decided × cadence
  let requested = 0; // net delta asked for during the current step
  const decide = (obs: Observation, at: StepInfo): number => {
    const ctx: PolicyContext = {
      time: at.time,
      step: at.step,
      stepDuration: stepLength,
      minWorkers: bounds.minWorkers,
      maxWorkers: bounds.maxWorkers,
      maxDelta: limit,
      signals: {
        busyWorkers: at.metrics.busyWorkers,
        readyWorkers: at.metrics.readyWorkers,
        queueLength: at.metrics.workerQueue,
        enqueuedTotal: at.enqueuedTotal,
      },
      ...(schedule ? { schedule } : {}),
      ...(hindsight ? { hindsight } : {}),
    };
    const delta = limitDelta(policy.act(obs, ctx), limit);
    decided++;
    requested += delta;
    recorder.decision(delta);
    return delta;
  };

  let terminated = false;
  let truncated = false;
  for (let step = 0; !terminated && !truncated; step++) {
    const start = step * stepLength;
    requested = 0;
    const action = decided * cadence <= start + EPS ? decide(observation, info) : 0;
    const pauses: number[] = [];
    for (let k = decided; k * cadence < start + stepLength - EPS; k++) pauses.push(k * cadence - start);
    const r = await env.step(action, pauses.length > 0 ? { at: pauses, decide } : undefined);
    ({ observation, info, terminated, truncated } = r);
    recorder.step(requested, r);
    options.onStep?.(info, r.reward);
  }
  return recorder.finish(terminated, truncated);
}

export interface EvaluateOptions {
  config?: Config;
  actuation?: Actuation;
  onEpisode?: (record: EpisodeRecord, index: number) => void;
  /** Once aborted, no further episode starts (Ctrl-C keeps the finished ones); the records so far are returned. */
  signal?: AbortSignal;
}

/** Evaluate `policy` on each seed with a fresh env from `makeEnv` (closed afterwards). */
export async function evaluate(
  policy: Policy,
  makeEnv: () => Env | Promise<Env>,
  seeds: readonly number[],
  options: EvaluateOptions = {},
): Promise<EpisodeRecord[]> {
  const env = await makeEnv();
  const records: EpisodeRecord[] = [];
  try {
    for (const [i, seed] of seeds.entries()) {
      // A simulated episode never waits on I/O, so without this turn of the event loop a real
      // Ctrl-C (a libuv signal watcher) would only be seen after the last episode.
      if (options.signal) await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) break;
      const record = await runEpisode(env, policy, {
        seed,
        ...(options.config ? { config: options.config } : {}),
        ...(options.actuation ? { actuation: options.actuation } : {}),
      });
      records.push(record);
      options.onEpisode?.(record, i);
    }
  } finally {
    await env.close();
  }
  return records;
}
