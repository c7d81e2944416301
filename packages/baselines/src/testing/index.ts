/**
 * Test fixtures (not part of the build): hand-made observations, window metrics, step infos
 * and policy contexts, so each test states only the numbers its decision depends on.
 */
import {
  clampWorkers,
  limitDelta,
  OBSERVATION_NAMES,
  parseConfig,
  type Config,
  type Observation,
  type ObservationName,
  type PolicyContext,
  type StepInfo,
  type WindowMetrics,
  type WorkloadSchedule,
} from '@autofarm/core';

/** A quiet farm at 12 workers, nothing queued: the defaults every fixture starts from. */
export function makeMetrics(over: Partial<WindowMetrics> = {}): WindowMetrics {
  return {
    time: 0,
    phasesPending: 0,
    workerQueue: 0,
    resultQueue: 0,
    collectedTotal: 0,
    metTotal: 0,
    workers: 12,
    readyWorkers: 12,
    busyWorkers: 0,
    enqueuedTotal: 0,
    tasksPlanned: 1140,
    generationDone: false,
    window: [],
    workerSeconds: 0,
    deadLetters: 0,
    ...over,
  };
}

/** An info whose metrics agree with its own fields (time, workers, queue, enqueued). */
export function makeInfo(over: Partial<Omit<StepInfo, 'metrics'>> & { metrics?: Partial<WindowMetrics> } = {}): StepInfo {
  const { metrics: m = {}, ...rest } = over;
  const time = rest.time ?? m.time ?? 0;
  const workers = rest.workers ?? m.workers ?? 12;
  const queue = rest.queueLength ?? m.workerQueue ?? 0;
  const enqueued = rest.enqueuedTotal ?? m.enqueuedTotal ?? 0;
  const metrics = makeMetrics({ readyWorkers: workers, ...m, time, workers, workerQueue: queue, enqueuedTotal: enqueued });
  return {
    step: 1,
    requestedDelta: 0,
    appliedDelta: 0,
    qosRate: 1,
    episodeQos: 1,
    totalReward: 0,
    scalingActions: 0,
    qosViolations: 0,
    processedTasks: 0,
    unfinishedTasks: 0,
    episodeFinalQos: null,
    latencies: [],
    ...rest,
    time,
    workers,
    meanWorkers: rest.meanWorkers ?? workers,
    queueLength: queue,
    enqueuedTotal: enqueued,
    metrics,
  };
}

/** An observation from named components; the rest are a quiet farm's values. */
export function makeObservation(over: Partial<Record<ObservationName, number>> = {}): Observation {
  const base: Record<ObservationName, number> = {
    input_q: 0,
    worker_q: 0,
    result_q: 0,
    output_q: 0,
    workers: 12,
    avg_time: 1.5,
    max_time: 1.5,
    arrival_rate: 0,
    qos_rate: 1,
  };
  const values = { ...base, ...over };
  return OBSERVATION_NAMES.map((name) => values[name]);
}

/** The observation an info implies (queue, workers, outputs) with extra components on top. */
export function observationOf(info: StepInfo, over: Partial<Record<ObservationName, number>> = {}): Observation {
  return makeObservation({
    worker_q: info.metrics.workerQueue,
    result_q: info.metrics.resultQueue,
    output_q: info.metrics.collectedTotal,
    workers: info.metrics.workers,
    qos_rate: info.qosRate,
    ...over,
  });
}

/** The context a driver builds at a decision that sees `info` (step actuation: ±1 per 8 s step unless overridden). */
export function makeCtx(info: StepInfo, over: Partial<PolicyContext> = {}): PolicyContext {
  const m = info.metrics;
  return {
    time: info.time,
    step: info.step,
    stepDuration: 8,
    maxDelta: 1,
    minWorkers: 1,
    maxWorkers: 32,
    signals: { busyWorkers: m.busyWorkers, readyWorkers: m.readyWorkers, queueLength: m.workerQueue, enqueuedTotal: info.enqueuedTotal },
    ...over,
  };
}

/** The shipped defaults around the canonical workload (configuration.yml's phases). */
export function makeConfig(over: Record<string, unknown> = {}): Config {
  return parseConfig({
    workload: {
      phases: [
        { name: 'Steady Low Load', pattern: 'steady', multiplier: 0.3, duration: 60 },
        { name: 'Steady High Load', pattern: 'steady', multiplier: 1.5, duration: 60 },
        {
          name: 'Slow Oscillation',
          pattern: 'oscillation_slow',
          multiplier: 1,
          duration: 60,
          oscillation: { min: 0.5, max: 1.5, cycles: 1 },
        },
        {
          name: 'Fast Oscillation',
          pattern: 'oscillation_fast',
          multiplier: 1,
          duration: 60,
          oscillation: { min: 0.3, max: 1.7, cycles: 4 },
        },
      ],
    },
    ...over,
  });
}

/** A piecewise-constant schedule: `[until, rate]` segments in order (rate in tasks/s). */
export function makeSchedule(segments: Array<[until: number, rate: number]>): WorkloadSchedule {
  const duration = segments[segments.length - 1]?.[0] ?? 0;
  return {
    duration,
    rateAt(time: number): number {
      if (time < 0) return 0;
      for (const [until, rate] of segments) if (time < until) return rate;
      return 0;
    },
  };
}

/**
 * What becomes of a policy's delta at `workers`: the driver limits it to ±ctx.maxDelta, the
 * backend's actuator clamps the count to the range (docs/architecture.md §5). A policy never
 * bounds its own answer, so tests of bounded behaviour go through this.
 */
export function settled(delta: number, workers: number, ctx: Pick<PolicyContext, 'minWorkers' | 'maxWorkers' | 'maxDelta'>): number {
  const d = clampWorkers(workers + limitDelta(delta, ctx.maxDelta), ctx) - workers;
  return d === 0 ? 0 : d;
}
