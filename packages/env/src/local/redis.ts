/**
 * The local backend's Redis: the configured one (probed first), or, when configuration.yml names
 * no host, a private redis-server on a free loopback port that lives as long as the backend.
 */
import type { Redis } from 'ioredis';
import { BackendUnavailableError, type Config } from '@autofarm/core';
import { probeRedis, redisFactory, redisTarget, startRedisServer, type RedisServerHandle, type RedisTarget } from '@autofarm/farm';

export interface LocalRedis {
  target: RedisTarget;
  conn: Redis;
  /** The private server, null when a configured Redis is used. */
  server: RedisServerHandle | null;
}

export async function connectLocalRedis(config: Config): Promise<LocalRedis> {
  let server: RedisServerHandle | null = null;
  let target: RedisTarget;
  if (config.redis.host === null) {
    try {
      server = await startRedisServer({
        bin: config.local.redis_server,
        appendfsync: config.local.appendfsync,
        password: config.redis.password,
      });
    } catch (error) {
      throw new BackendUnavailableError(
        `cannot start a private redis-server (${config.local.redis_server}): ${(error as Error).message.split('\n')[0]}; ` +
          `install redis-server or set redis.host`,
        { cause: error },
      );
    }
    target = redisTarget(config.redis, { host: server.host, port: server.port });
  } else {
    target = redisTarget(config.redis);
    await probeRedis(target);
  }
  return { target, conn: redisFactory(target)('local-backend'), server };
}
