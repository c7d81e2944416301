import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeControl } from '@autofarm/core';
import { sendScaleDown } from './control.js';
import type { FarmEvent } from './events.js';
import {
  announceEpisode,
  hostRole,
  podOfWorker,
  readAnnouncement,
  redisTargetFromEnv,
  withdrawEpisode,
  type EpisodeAnnouncement,
  type HostExit,
  type HostState,
} from './host.js';
import { commandCalls } from './testing/command-stats.js';
import { startTestFarm, type TestFarm } from './testing/fixture.js';

let farm: TestFarm;
const stops: AbortController[] = [];

beforeEach(async () => {
  farm = await startTestFarm();
});
afterEach(async () => {
  for (const s of stops.splice(0)) s.abort();
  await new Promise((r) => setTimeout(r, 50));
  await farm.close();
});

function announcement(episodeId: string, delayMs = 0): EpisodeAnnouncement {
  return {
    episodeId,
    seed: 7,
    clock: { kind: 'wall', originMs: Date.now() + delayMs, timeScale: 4 },
    config: farm.config,
    heartbeat: { intervalMs: 100, ttlMs: 600 },
  };
}

function host(role: 'emitter' | 'worker' | 'collector', hostId: string, events: FarmEvent[] = [], states: HostState[] = []) {
  const stop = new AbortController();
  stops.push(stop);
  const exit: Promise<HostExit> = hostRole({
    role,
    hostId,
    redis: farm.factory,
    signal: stop.signal,
    pollMs: 50,
    hooks: { onEvent: (e) => events.push(e) },
    onState: (s) => states.push(s),
  });
  return { stop, exit };
}

async function until(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('hostRole (long-lived functions)', () => {
  it('runs a whole episode on hosts that were waiting for it, then serves the next one', async () => {
    const hosts = [
      host('collector', 'collector-pod'),
      host('emitter', 'emitter-pod'),
      host('worker', 'worker-a'),
      host('worker', 'worker-b'),
    ];
    await new Promise((r) => setTimeout(r, 150));
    expect(await farm.redis.llen(farm.names.emitterStart)).toBe(0); // nothing runs before an announcement

    await announceEpisode(farm.redis, announcement('ep-1'));
    await until(async () => (await farm.redis.exists(farm.names.generationDone)) === 1);
    const planned = Number(await farm.redis.get(farm.names.generationDone));
    await until(async () => Number(await farm.redis.get(farm.names.collectedTotal)) === planned);
    expect(planned).toBeGreaterThan(0);
    const starts = await farm.redis.lrange(farm.names.workerStart, 0, -1);
    expect(starts.map((s) => JSON.parse(s).pod_name).sort()).toEqual(['worker-a', 'worker-b']);

    // A new episode: keys cleared by the backend, a new announcement; the same hosts serve it.
    await farm.redis.flushdb();
    await announceEpisode(farm.redis, announcement('ep-2'));
    await until(async () => (await farm.redis.exists(farm.names.generationDone)) === 1);
    const second = Number(await farm.redis.get(farm.names.generationDone));
    await until(async () => Number(await farm.redis.get(farm.names.collectedTotal)) === second);
    const outputs = (await farm.redis.lrange(farm.names.output, 0, -1)).map((r) => JSON.parse(r));
    expect(new Set(outputs.map((r) => r.episode_id))).toEqual(new Set(['ep-2']));

    for (const h of hosts) h.stop.abort();
    for (const h of hosts) expect((await h.exit).reason).toBe('aborted');
  });

  it('stops the loop when the announcement is withdrawn, and waits for the next', async () => {
    const states: HostState[] = [];
    const w = host('worker', 'worker-a', [], states);
    await announceEpisode(farm.redis, announcement('ep-1'));
    await until(() => states.some((s) => s.running && s.episodeId === 'ep-1'));
    await withdrawEpisode(farm.redis);
    await until(() => states.at(-1)?.running === false);
    // Still hosting: the next announcement starts it again.
    await announceEpisode(farm.redis, announcement('ep-2'));
    await until(() => states.some((s) => s.running && s.episodeId === 'ep-2'));
    w.stop.abort();
    expect((await w.exit).reason).toBe('aborted');
  });

  it('returns after a scale-down ACK naming the pod, and rejoins the same episode under a new id', async () => {
    const states: HostState[] = [];
    const a = announcement('ep-1');
    await announceEpisode(farm.redis, a);
    const w = host('worker', 'worker-pod-1', [], states);
    await until(async () => (await farm.redis.llen(farm.names.workerStart)) === 1);
    await sendScaleDown(
      farm.redis,
      farm.names,
      { target: 'worker-pod-1', correlationId: 'c-1', episodeId: 'ep-1', now: 0, ttl: 1e9 },
      60_000,
    );
    expect(await w.exit).toEqual({ reason: 'scale-down', episodes: 1 });
    const ack = decodeControl((await farm.redis.lindex(farm.names.workerControlAck, 0)) as string);
    expect(ack.ok && ack.value.action === 'ACK' && ack.value.pod_name).toBe('worker-pod-1');

    // Not removed: the template calls run() again and the worker rejoins as worker-pod-1~2.
    const again = host('worker', 'worker-pod-1', [], states);
    await until(() => states.some((s) => s.id === 'worker-pod-1~2' && s.running));
    expect(podOfWorker('worker-pod-1~2')).toBe('worker-pod-1');
    again.stop.abort();
    await again.exit;
  });

  it('ignores a malformed announcement (reported once) and stays idle', async () => {
    const events: FarmEvent[] = [];
    const w = host('worker', 'worker-a', events);
    await farm.redis.config('RESETSTAT');
    await farm.redis.set('autofarm:episode', '{"episodeId": 3}');
    // Reported once: the host has read the bad announcement five more times since (GETs counted
    // in Redis, not waited for).
    await until(() => events.some((e) => e.type === 'error'));
    const seen = await commandCalls(farm.redis, 'get');
    await until(async () => (await commandCalls(farm.redis, 'get')) >= seen + 5);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: expect.stringMatching(/malformed episode announcement: episodeId/) });
    expect(await farm.redis.llen(farm.names.workerStart)).toBe(0);
    expect((await readAnnouncement(farm.redis)).ok).toBe(false);
    w.stop.abort();
    await w.exit;
  });
});

describe('hostRole when Redis is down', () => {
  it('stops at once when the pod stops, instead of waiting for Redis to come back', async () => {
    const w = host('worker', 'worker-a');
    await farm.server.kill(); // resolves once the server process has exited
    // Redis never comes back, so an exit at all shows the stop did not wait for it (a hang fails
    // by the test timeout, not by a wall-clock bound that load would break).
    w.stop.abort();
    expect((await w.exit).reason).toBe('aborted');
  });
});

describe('redisTargetFromEnv', () => {
  it('reads the deployed variables, the password from env or the OpenFaaS secret', () => {
    expect(redisTargetFromEnv({ REDIS_HOSTNAME: 'r', REDIS_PORT: '6380' }, (n) => (n === 'redis-password' ? 'pw' : undefined))).toEqual({
      host: 'r',
      port: 6380,
      password: 'pw',
      tls: false,
      db: 0,
    });
    expect(redisTargetFromEnv({ REDIS_PASSWORD: 'env', REDIS_TLS: 'true', REDIS_DB: '2' }, () => 'secret')).toEqual({
      host: 'redis-master.redis.svc.cluster.local',
      port: 6379,
      password: 'env',
      tls: true,
      db: 2,
    });
    expect(redisTargetFromEnv({}).password).toBeNull();
  });
});
