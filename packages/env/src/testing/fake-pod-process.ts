/**
 * Test helper: what runs in a FakeCluster pod.
 */
import { hostRole, type RedisFactory, type Role } from '@autofarm/farm';

export interface PodProcess {
  stop(): Promise<void>;
}

/**
 * A pod's process as the node24-longrun template runs it: the role hosted for every announced
 * episode; a worker that returned after a scale-down rejoins after `restartDelayMs` unless the
 * pod is deleted first.
 */
export function podProcess(role: Role, pod: string, redis: RedisFactory, restartDelayMs = 60_000): PodProcess {
  const stop = new AbortController();
  const run = (async () => {
    while (!stop.signal.aborted) {
      const exit = await hostRole({ role, hostId: pod, redis, signal: stop.signal, pollMs: 50 });
      if (exit.reason === 'aborted') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, restartDelayMs);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  })();
  return {
    async stop() {
      stop.abort();
      await run.catch(() => undefined);
    },
  };
}
