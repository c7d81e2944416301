/**
 * Redis connections for the farm loops. Every loop gets its connections from a factory, so a
 * test, a child process and a function all build them the same way: host, port, password, TLS
 * and db from configuration.yml (env REDIS_PASSWORD overrides the password, as in the original).
 *
 * Resilience: commands wait for the connection instead of failing (`maxRetriesPerRequest: null`),
 * reconnects back off 50 ms per attempt up to 500 ms, and a command that was in flight when the
 * connection dropped (typically a blocking pop) is re-sent after reconnecting. So a loop rides
 * out a Redis restart: its pending command completes once Redis is back.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { BackendUnavailableError, type Config } from '@autofarm/core';

export type RedisFactory = (name: string) => Redis;

export interface RedisTarget {
  host: string;
  port: number;
  password: string | null;
  tls: boolean;
  db: number;
}

/** Where the farm's Redis is: configuration.yml's `redis` block (host must be set by now). */
export function redisTarget(redis: Config['redis'], override?: { host: string; port: number }): RedisTarget {
  const host = override?.host ?? redis.host;
  if (host === null) throw new BackendUnavailableError('redis.host is not set and no private redis-server was started');
  return {
    host,
    port: override?.port ?? redis.port,
    password: process.env.REDIS_PASSWORD ?? redis.password,
    tls: redis.tls,
    db: redis.db,
  };
}

export function redisOptions(target: RedisTarget, name: string): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.password ? { password: target.password } : {}),
    // The original's REDIS_SSL switch: TLS without certificate verification (reference §3.2).
    ...(target.tls ? { tls: { rejectUnauthorized: false } } : {}),
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(50 * times, 500),
    autoResendUnfulfilledCommands: true,
    enableOfflineQueue: true,
    disableClientInfo: true,
    connectTimeout: 5000,
  };
}

/** A factory of resilient connections to `target`; connection errors are logged via `onError`, not thrown. */
export function redisFactory(target: RedisTarget, onError?: (name: string, error: Error) => void): RedisFactory {
  return (name) => {
    const redis = new Redis(redisOptions(target, name));
    // Without a listener ioredis prints every reconnect failure; the loops survive them anyway.
    redis.on('error', (error: Error) => onError?.(name, error));
    return redis;
  };
}

/**
 * One connection attempt with a short deadline: resolves if Redis answers PING, else throws a
 * BackendUnavailableError naming host and port (no retries, no hang).
 */
export async function probeRedis(target: RedisTarget, timeoutMs = 3000): Promise<void> {
  const redis = new Redis({
    ...redisOptions(target, 'autofarm-probe'),
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    const why = (lastError ?? (error as Error)).message;
    throw new BackendUnavailableError(
      `cannot reach Redis at ${target.host}:${target.port} (${why}); start redis-server ` +
        `there or set redis.host: null to let the local backend start its own`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/**
 * A factory whose first connection for each of `names` is opened now, so a loop started later
 * finds it connected (a standby process pays the TCP + handshake before its `go`, not after).
 * Resolves once they are ready (or after `timeoutMs`, connecting on in the background).
 */
export async function prewarmedFactory(base: RedisFactory, names: readonly string[], timeoutMs = 5000): Promise<RedisFactory> {
  const warm = new Map(names.map((name) => [name, base(name)] as const));
  await Promise.race([
    Promise.all(
      [...warm.values()].map((c) =>
        c.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => c.once('ready', () => resolve())),
      ),
    ),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
  return (name) => {
    const c = warm.get(name);
    if (c) {
      warm.delete(name);
      return c;
    }
    return base(name);
  };
}
