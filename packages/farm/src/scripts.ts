/**
 * The server-side scripts that make each farm transition atomic. Each runs as one Lua call, so
 * a crash (of a loop or of Redis) happens either before or after a transition, never inside.
 *
 * List discipline (the original's): producers LPUSH, consumers take from the RIGHT, so the
 * right end of a list is its oldest element.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class LuaScript {
  readonly sha: string;
  constructor(
    readonly name: string,
    readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** EVALSHA, falling back to EVAL when the server does not know the script (e.g. after a restart). */
  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Emitter push: LPUSH the task and INCR the enqueued counter in one step (reference §3.1), once
 * per task id: a push re-sent after a reconnect finds the id in the set and does nothing.
 * KEYS: generatedIds, worker queue, enqueued counter. ARGV: task id, task JSON.
 * Returns the counter after the push.
 */
export const enqueueScript = new LuaScript(
  'enqueue',
  `if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  return redis.call('INCR', KEYS[3])
end
return tonumber(redis.call('GET', KEYS[3]) or '0')`,
);

/**
 * Worker completion: remove the task from the worker's processing list and push its result,
 * together. If the task is no longer there (the reaper gave it to another worker), the result
 * is dropped: that other worker's result will count instead.
 * KEYS: processing list, result queue. ARGV: task JSON (as taken), result JSON. Returns 1 or 0.
 */
export const completeScript = new LuaScript(
  'complete',
  `if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0`,
);

/**
 * Worker completion and the next task in one round trip: completion as above, then, if ARGV[3]
 * is '1' (the worker goes on), LMOVE the next task from the worker queue into the processing
 * list. Back to back, a worker costs 1 round trip per task instead of 3 (complete, check the
 * processing list, BLMOVE): at time_scale 10 each real millisecond is 10 ms of program time.
 * KEYS: processing list, result queue, worker queue. ARGV: task JSON, result JSON, '1' | '0'.
 * Returns {counted (1|0), 1, next task} or {counted, 0}.
 */
export const completeAndTakeScript = new LuaScript(
  'complete-and-take',
  `local counted = 0
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  counted = 1
end
if ARGV[3] == '1' then
  local nxt = redis.call('LMOVE', KEYS[3], KEYS[1], 'RIGHT', 'LEFT')
  if nxt then return {counted, 1, nxt} end
end
return {counted, 0}`,
);

/**
 * Dead letter: remove the raw message from the list it was taken into and record it with the reason.
 * KEYS: list holding the raw message, dead-letter list. ARGV: raw message, dead-letter JSON.
 */
export const deadLetterScript = new LuaScript(
  'dead-letter',
  `redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('LPUSH', KEYS[2], ARGV[2])
return redis.call('LLEN', KEYS[2])`,
);

/**
 * Collector: take the result off the collector's processing list and, the first time this task
 * id is seen, push the output record and count it (and count it as met). A repeated id only
 * bumps the duplicate counter, so every task counts once.
 * KEYS: collector processing, collected ids, output queue, collected total, met total, duplicates.
 * ARGV: raw result, task id, output JSON, '1' if met else '0'. Returns 1 (counted) or 0 (duplicate).
 */
export const collectScript = new LuaScript(
  'collect',
  `redis.call('LREM', KEYS[1], 1, ARGV[1])
if redis.call('SADD', KEYS[2], ARGV[2]) == 1 then
  redis.call('LPUSH', KEYS[3], ARGV[3])
  redis.call('INCR', KEYS[4])
  if ARGV[4] == '1' then redis.call('INCR', KEYS[5]) end
  return 1
end
redis.call('INCR', KEYS[6])
return 0`,
);

/**
 * Put every task of a worker's processing list back at the consumer end of the worker queue
 * (oldest ends up first), forget the worker and its control list. With ARGV[2] = 'if-dead' it
 * does nothing while the worker's heartbeat key exists.
 * KEYS: heartbeat, processing list, worker queue, registry, control list. ARGV: worker id, mode.
 * Returns the number of tasks re-queued, or -1 if the worker is alive.
 */
export const requeueScript = new LuaScript(
  'requeue',
  `if ARGV[2] == 'if-dead' and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local n = 0
while redis.call('LMOVE', KEYS[2], KEYS[3], 'LEFT', 'RIGHT') do n = n + 1 end
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('DEL', KEYS[1], KEYS[5])
return n`,
);
