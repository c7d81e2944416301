import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError, parseConfig, queueNames, type Config } from '@autofarm/core';
import { redisFactory } from '@autofarm/farm';
import { ensureFarmBuilt, freePort, startRedisServer, until } from '@autofarm/farm/testing';
import { episodeWorkload } from '@autofarm/workload';
import { checkEnv } from '../check-env.js';
import { createEnv } from '../create-env.js';
import { createLocalBackend, type LocalBackend } from './local-backend.js';

// Two 4 s phases at 2 and 4 tasks/s (~24 tasks), 10x faster than real time: ~0.8 s of emission.
function tinyConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    backend: 'local',
    workload: {
      base_rate: 120,
      phases: [
        { name: 'low', pattern: 'steady', multiplier: 1, duration: 4 },
        { name: 'high', pattern: 'steady', multiplier: 2, duration: 4 },
      ],
    },
    scaling: { initial_workers: 3, max_workers: 6 },
    episode: { step_duration: 2, observation_window: 2, max_steps: 30 },
    local: { time_scale: 10, warm_pool: 1 },
    ...overrides,
  });
}

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every process a backend started (roles and the private redis-server). */
const pidsOf = (backend: LocalBackend): number[] => backend.pids();

const backends: LocalBackend[] = [];
function track(b: LocalBackend): LocalBackend {
  backends.push(b);
  return b;
}

beforeAll(() => {
  ensureFarmBuilt();
}, 120_000);

afterEach(async () => {
  for (const b of backends.splice(0)) await b.stop();
});

describe('local backend', () => {
  it('runs a short time-scaled episode through FarmEnv: every task collected once, nothing left running', async () => {
    const config = tinyConfig();
    const env = await createEnv(config, { backend: 'local' });
    const backend = env.backend as LocalBackend;
    const { observation, info } = await env.reset({ seed: 3 });
    expect(observation[4]).toBe(3);
    expect(info.metrics.readyWorkers).toBe(3);
    expect(info.metrics.phasesPending).toBe(1); // the first phase started at 0, the second is queued
    const planned = episodeWorkload(config, 3).arrivals.length;
    expect(info.metrics.tasksPlanned).toBe(planned);
    const pids = pidsOf(backend);
    expect(pids.length).toBe(3 + 1 + 2 + 1); // workers, pool, emitter + collector, redis-server

    const actions = [1, 0, -1, -1];
    let last;
    for (let i = 0; i < 30; i++) {
      last = await env.step(actions[i] ?? 0);
      if (last.terminated || last.truncated) break;
    }
    expect(last?.terminated).toBe(true);
    const m = last!.info.metrics;
    expect(m.collectedTotal).toBe(planned);
    expect(m.enqueuedTotal).toBe(planned);
    expect(m.generationDone).toBe(true);
    expect(m.workers).toBe(2);
    expect(m.deadLetters).toBe(0);
    expect(m.workerSeconds).toBeGreaterThan(0);
    expect(last!.info.episodeFinalQos).toBe(m.metTotal / planned);
    const ids = backend.records().map((r) => r.task_id);
    expect(new Set(ids).size).toBe(planned);
    // A retired worker's exit is measured when its process ends, which a loaded machine may delay.
    await until(() => backend.stats().scaleDownMs.length === 2, { what: 'both retired workers to exit' });
    const stats = backend.stats();
    expect(stats.warmStarts + stats.coldStarts).toBe(1);
    expect(stats.duplicateResults).toBe(0);

    await env.close();
    const leftovers = [...pids, ...pidsOf(backend)].filter(alive);
    expect(leftovers).toEqual([]);
  }, 60_000);

  it('passes checkEnv (non-deterministic mode)', async () => {
    const env = await createEnv(tinyConfig(), { backend: 'local' });
    backends.push(env.backend as LocalBackend);
    const report = await checkEnv(env, { seed: 4, steps: 3 });
    expect(report.deterministicChecked).toBe(false);
    expect(report.steps).toBe(3);
    await env.close();
  }, 60_000);

  it('replaces a worker killed with kill -9, and its task is re-queued and completed exactly once', async () => {
    // Slow tasks (mean 1.5 s at x4 = 0.37 s real) so the killed worker is mid-task.
    const config = tinyConfig({ local: { time_scale: 4, warm_pool: 1 } });
    const backend = track(createLocalBackend(config));
    await backend.start({ seed: 8, config, initialWorkers: 3 });
    const { redis } = backend.stats();
    const conn = redisFactory({ host: redis.host, port: redis.port, password: null, tls: false, db: 0 })('assert');
    const names = queueNames(config.queues);
    // Kill a worker that holds a task, whenever the first one gets one.
    const victim = await until(
      async () => {
        for (const w of backend.liveWorkers()) if ((await conn.llen(names.processing(w.settings.id))) > 0) return w;
        return false;
      },
      { what: 'a worker holding a task', pollMs: 5 },
    );
    victim.child.kill('SIGKILL');
    conn.disconnect();
    const planned = episodeWorkload(config, 8).arrivals.length;
    const m = await until(
      async () => {
        const metrics = await backend.advance(2, 2);
        return metrics.generationDone && metrics.collectedTotal >= planned ? metrics : false;
      },
      { what: `all ${planned} tasks collected`, timeoutMs: 40_000 },
    );
    expect(m.collectedTotal).toBe(planned);
    expect(m.workers).toBe(3);
    expect(backend.liveWorkers()).toHaveLength(3);
    const stats = backend.stats();
    expect(stats.replacedWorkers).toBe(1);
    expect(stats.reaped).toBeGreaterThanOrEqual(1);
    expect(new Set(backend.records().map((r) => r.task_id)).size).toBe(planned);
  }, 60_000);

  it('scales down by SYN/ACK: the idle worker leaves and the count drops at once', async () => {
    const config = tinyConfig({ workload: { base_rate: 6, phases: [{ name: 'idle', pattern: 'steady', multiplier: 1, duration: 40 }] } });
    const backend = track(createLocalBackend(config));
    await backend.start({ seed: 1, config, initialWorkers: 3 });
    expect(await backend.scale(1)).toBe(1);
    const m = await backend.advance(2, 2);
    expect(m.workers).toBe(1);
    expect(m.readyWorkers).toBe(1);
    // The two idle workers ACK and exit within milliseconds; on a loaded machine, a while later.
    await until(() => backend.liveWorkers().length === 1 && backend.stats().scaleDownMs.length === 2, {
      what: 'the two retired workers to exit',
    });
    // Clamped to [min_workers, max_workers].
    expect(await backend.scale(0)).toBe(1);
    expect(await backend.scale(99)).toBe(6);
  }, 60_000);

  it('leaves no process behind when Redis crashes under it', async () => {
    const config = tinyConfig();
    const backend = createLocalBackend(config);
    await backend.start({ seed: 2, config, initialWorkers: 2 });
    const pids = pidsOf(backend);
    await backend.redisServer()!.kill();
    await backend.stop();
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);

  it('fails to start with a clear error, and nothing running, when redis-server cannot be started', async () => {
    const config = tinyConfig({ local: { redis_server: '/nonexistent/redis-server' } });
    const backend = track(createLocalBackend(config));
    const error = await backend.start({ seed: 1, config, initialWorkers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(String((error as Error).message)).toMatch(/redis-server/);
    expect(pidsOf(backend)).toEqual([]);
  });

  it('reports an unreachable Redis naming host and port within a few seconds', async () => {
    const port = await freePort();
    const config = tinyConfig({ redis: { host: '127.0.0.1', port } });
    const backend = track(createLocalBackend(config));
    // Nothing listens there: a start that retried forever would fail by the test timeout.
    const error = await backend.start({ seed: 1, config, initialWorkers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('uses a configured Redis instead of starting its own', async () => {
    const server = await startRedisServer();
    try {
      const config = tinyConfig({ redis: { host: server.host, port: server.port } });
      const backend = track(createLocalBackend(config));
      await backend.start({ seed: 1, config, initialWorkers: 1 });
      expect(backend.redisServer()).toBeNull();
      expect(backend.stats().redis).toEqual({ host: server.host, port: server.port, private: false });
      await backend.stop();
      expect(server.running).toBe(true);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
