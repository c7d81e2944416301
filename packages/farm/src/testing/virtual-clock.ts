/**
 * A program clock for tests that jumps instead of waiting: `sleepUntil(t)` moves `now` to `t`
 * at once (after `onAdvance`, which may look at Redis at that instant). A loop driven by it
 * does the same steps at the same program times as on the real clock, but the test checks
 * its scheduling exactly, whatever the machine's load.
 */
import type { ProgramClock } from '../clock.js';

export function virtualClock(options: { onAdvance?: (time: number) => Promise<void> | void } = {}): ProgramClock {
  let now = 0;
  const sleepUntil = async (time: number, signal?: AbortSignal): Promise<boolean> => {
    if (signal?.aborted) return false;
    if (time > now) {
      await options.onAdvance?.(time);
      now = Math.max(now, time);
    }
    // A turn of the event loop, as a real timer would give, so other work can run.
    await new Promise((r) => setImmediate(r));
    return !signal?.aborted;
  };
  return {
    spec: { kind: 'monotonic', originNs: '0', timeScale: 1 },
    timeScale: 1,
    now: () => now,
    sleepUntil,
    sleep: (seconds, signal) => sleepUntil(now + seconds, signal),
  };
}
