/**
 * A private Redis plus everything a farm test needs to talk to it: connection factory, queue
 * names, and a config with a tiny workload. `close()` disconnects every connection it made and
 * stops the server.
 */
import type { Redis } from 'ioredis';
import { parseConfig, queueNames, type Config, type QueueNames } from '@autofarm/core';
import { redisFactory, type RedisFactory, type RedisTarget } from '../redis.js';
import { startRedisServer, type RedisServerHandle, type RedisServerOptions } from '../redis-server.js';

export interface TestFarm {
  server: RedisServerHandle;
  target: RedisTarget;
  /** Tracks its connections so `close()` can end them all. */
  factory: RedisFactory;
  /** A plain connection for assertions. */
  redis: Redis;
  names: QueueNames;
  config: Config;
  close(): Promise<void>;
}

/** Two 2 s phases at 60 and 120 tasks/min (about 6 tasks in all). */
export const TINY_WORKLOAD = {
  base_rate: 60,
  phases: [
    { name: 'low', pattern: 'steady', multiplier: 1, duration: 2 },
    { name: 'high', pattern: 'steady', multiplier: 2, duration: 2 },
  ],
};

export async function startTestFarm(options: { server?: RedisServerOptions; config?: Record<string, unknown> } = {}): Promise<TestFarm> {
  const server = await startRedisServer({ appendfsync: 'always', ...options.server });
  const config = parseConfig({ workload: TINY_WORKLOAD, ...options.config, redis: { host: server.host, port: server.port } });
  const target: RedisTarget = { host: server.host, port: server.port, password: options.server?.password ?? null, tls: false, db: 0 };
  const conns: Redis[] = [];
  const base = redisFactory(target);
  const factory: RedisFactory = (name) => {
    const c = base(name);
    conns.push(c);
    return c;
  };
  const redis = factory('test');
  return {
    server,
    target,
    factory,
    redis,
    names: queueNames(config.queues),
    config,
    async close() {
      for (const c of conns) c.disconnect();
      await server.stop();
    },
  };
}
