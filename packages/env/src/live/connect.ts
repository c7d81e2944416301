/**
 * Where a live controller finds its farm, checked once at the start with short deadlines so a
 * missing farm is one line and exit 2, not a hang: local = the Redis `autofarm load --backend
 * local` uses (redis.host, or 127.0.0.1:autoscale.local_redis_port when it is null) and the
 * farm's status key in it; openfaas = the backend's preflight (cluster, gateway, Redis).
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, type Config } from '@autofarm/core';
import { probeRedis, redisFactory, redisTarget, type RedisTarget } from '@autofarm/farm';
import { withTimeout } from '../redis/wait.js';
import { LocalScaleTarget, type ScaleTarget } from './scale-target.js';

export interface LiveConnection {
  conn: Redis;
  target: ScaleTarget;
  redis: RedisTarget;
  close(): void;
}

/** The local farm's Redis as `autofarm load --backend local` starts it. */
export function localRedisTarget(config: Config): RedisTarget {
  return config.redis.host === null
    ? redisTarget(config.redis, { host: '127.0.0.1', port: config.autoscale.local_redis_port })
    : redisTarget(config.redis);
}

export async function connectLive(config: Config, backend: 'local' | 'openfaas'): Promise<LiveConnection> {
  if (backend === 'openfaas') {
    const { connectOpenFaas } = await import('../openfaas/preflight.js');
    const { OpenFaasScaleTarget } = await import('./openfaas-target.js');
    const targets = await connectOpenFaas(config);
    const conn = redisFactory(targets.redis)('autoscale');
    const target = new OpenFaasScaleTarget(config, targets, conn);
    return { conn, target, redis: targets.redis, close: () => conn.disconnect() };
  }
  const redis = localRedisTarget(config);
  const where = `${redis.host}:${redis.port}`;
  await probeRedis(redis).catch((error: unknown) => {
    throw new BackendUnavailableError(
      `cannot reach the local farm's Redis at ${where}: start the farm with \`autofarm load --backend local\` (or set --redis)`,
      {
        cause: error,
      },
    );
  });
  const conn = redisFactory(redis)('autoscale');
  const target = new LocalScaleTarget(conn, config.autoscale.key_prefix, where);
  try {
    // a Redis without a farm in it, or one that does not answer: say so now
    await withTimeout(target.status(), 5000, `redis at ${where} did not answer within 5 s`);
  } catch (error) {
    conn.disconnect();
    throw error;
  }
  return { conn, target, redis, close: () => conn.disconnect() };
}
