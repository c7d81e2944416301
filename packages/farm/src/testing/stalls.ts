/**
 * How long this process was kept from running while a timing test ran. A real-time assertion
 * ("late by at most 50 ms") is about the code, not about the machine: on a loaded 2-core CI
 * machine the scheduler can stall the test process for hundreds of milliseconds, and any timer
 * fires that much later. So a test measures the stalls (event-loop delay, sampled every 10 ms)
 * and adds the worst one to its tolerance; on an idle machine that is a few ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface StallMeter {
  /** The longest stall seen so far, in real seconds. */
  worst(): number;
  stop(): void;
}

export function measureStalls(): StallMeter {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // h.max is the longest time between two 10 ms samples, in ns (a 200 ms block reads ~214 ms).
  return {
    worst: () => (Number.isFinite(h.max) && h.max > 0 ? Math.max(0, h.max / 1e9 - 0.01) : 0),
    stop: () => h.disable(),
  };
}
