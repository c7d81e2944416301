/**
 * Program time: seconds since the episode started, on ONE origin shared by every process of the
 * episode (fixes reference §16 item 38, where each pod measured against its own wall clock).
 *
 * - `monotonic` origin (local backend, tests): a reading of CLOCK_MONOTONIC in nanoseconds
 *   (`process.hrtime.bigint()`), which is one system-wide clock on Linux, so emitter, workers,
 *   collector and backend on this machine stamp tasks on the same clock, immune to NTP steps.
 * - `wall` origin (processes on different machines, e.g. OpenFaaS pods): epoch milliseconds.
 *
 * `timeScale` divides every duration: program time runs `timeScale` times faster than real time,
 * so a task that takes 1.5 program seconds holds a worker 1.5 / 10 = 0.15 real seconds at
 * time_scale 10, and latencies, deadlines and the workload all stay in program seconds.
 */

export type ClockSpec = { kind: 'monotonic'; originNs: string; timeScale: number } | { kind: 'wall'; originMs: number; timeScale: number };

export interface ProgramClock {
  readonly spec: ClockSpec;
  readonly timeScale: number;
  /** Program seconds since the origin. */
  now(): number;
  /** Resolve when program time reaches `time` (true) or the signal aborts first (false). */
  sleepUntil(time: number, signal?: AbortSignal): Promise<boolean>;
  /** Sleep `seconds` of program time (true), or until aborted (false). */
  sleep(seconds: number, signal?: AbortSignal): Promise<boolean>;
}

/** A new episode origin on the monotonic clock: now, or `delayMs` real milliseconds from now (program time is negative until then). */
export function startClock(timeScale = 1, delayMs = 0): ProgramClock {
  const origin = process.hrtime.bigint() + BigInt(Math.round(delayMs * 1e6));
  return createClock({ kind: 'monotonic', originNs: origin.toString(), timeScale });
}

export function createClock(spec: ClockSpec): ProgramClock {
  if (!(spec.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${spec.timeScale}`);
  const scale = spec.timeScale;
  const realNow: () => number =
    spec.kind === 'monotonic'
      ? (() => {
          const origin = BigInt(spec.originNs);
          return () => Number(process.hrtime.bigint() - origin) / 1e9;
        })()
      : () => (Date.now() - spec.originMs) / 1000;
  const now = () => realNow() * scale;

  const sleepUntil = (time: number, signal?: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        if (immediate) clearImmediate(immediate);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const tick = () => {
        const remainingMs = ((time - now()) / scale) * 1000;
        if (remainingMs <= 0) {
          signal?.removeEventListener('abort', onAbort);
          return resolve(true);
        }
        // Timers fire up to ~1 ms late; wake 1 ms early and finish on the event loop, so a
        // 72 ms hold at time_scale 10 is not stretched by 1.4 % (= 10 ms of program time).
        if (remainingMs > 1.5) timer = setTimeout(tick, Math.floor(remainingMs - 1));
        else immediate = setImmediate(tick);
      };
      tick();
    });

  return {
    spec,
    timeScale: scale,
    now,
    sleepUntil,
    sleep: (seconds, signal) => sleepUntil(now() + seconds, signal),
  };
}
