/**
 * Clearing the farm's keys between episodes: the fixed ones (queues, counters, control lists)
 * and every per-worker key (processing lists, heartbeats, control lists) found by SCAN, so the
 * next episode starts from empty queues whatever the last one left behind.
 */
import type { Redis } from 'ioredis';
import { episodeKeys, type QueueNames } from '@autofarm/core';

export async function clearFarmKeys(conn: Redis, names: QueueNames): Promise<void> {
  const keys = [...episodeKeys(names)];
  for (const pattern of names.perWorkerPatterns) {
    let cursor = '0';
    do {
      const [next, found] = await conn.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
  }
  await conn.del(...keys);
}
