import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFarm, type TestFarm } from '@autofarm/farm/testing';
import { clearFarmKeys } from './keys.js';

let farm: TestFarm;
beforeAll(async () => {
  farm = await startTestFarm();
});
afterAll(async () => {
  await farm.close();
});

describe('clearFarmKeys', () => {
  it('empties the queues, counters and every per-worker key, and leaves other keys alone', async () => {
    const { names, redis } = farm;
    await redis.lpush(names.worker, 'task');
    await redis.lpush(names.output, 'record');
    await redis.set(names.collectedTotal, 3);
    await redis.lpush(names.processing('w7'), 'task');
    await redis.set(names.heartbeat('w7'), '1');
    await redis.lpush(names.workerControl('w7'), 'syn');
    await redis.set('not-the-farm', 'kept');
    await clearFarmKeys(redis, names);
    const left = (await redis.keys('*')).sort();
    expect(left).toEqual(['not-the-farm']);
  });
});
