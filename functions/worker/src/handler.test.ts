/**
 * The three farm functions under the real template runtime (functions/template/node24-longrun)
 * against a real redis-server: what a pod runs, minus the watchdog and Kubernetes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, queueNames } from '@autofarm/core';
import { announceEpisode, redisFactory } from '@autofarm/farm';
import { startRedisServer, type RedisServerHandle } from '@autofarm/farm/testing';
// @ts-expect-error -- plain JS runtime of the template (checked with tsc --checkJs, not part of tsc -b)
import { settingsFromEnv, startFunction } from '../../template/node24-longrun/server.js';
import * as collector from '../../collector/src/handler.js';
import * as emitter from '../../emitter/src/handler.js';
import * as worker from './handler.js';

let server: RedisServerHandle;
let dir: string;
const fns: Array<{ port: number; stop(reason: string): Promise<void>; stopped: Promise<void> }> = [];

beforeAll(async () => {
  server = await startRedisServer({ password: 'pw' });
  dir = mkdtempSync(join(tmpdir(), 'af-fn-'));
  writeFileSync(join(dir, 'redis-password'), 'pw\n');
  // What stack.yml deploys: the address in env, the password as an OpenFaaS secret file.
  process.env.REDIS_HOSTNAME = server.host;
  process.env.REDIS_PORT = String(server.port);
});
afterAll(async () => {
  await Promise.all(fns.map((f) => f.stop('test over')));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(handler: object, pod: string, lock?: string) {
  const settings = settingsFromEnv({
    http_port: '0',
    LOG_LEVEL: 'ERROR',
    HOSTNAME: pod,
    secrets_dir: dir,
    lock_file: lock ?? join(dir, `${pod}.lock`),
  });
  const fn = await startFunction(handler, settings);
  fns.push(fn);
  return fn;
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the farm functions on the node24-longrun template', () => {
  it('run a whole announced episode, report it on GET, and stop when the watchdog removes its lock', async () => {
    const config = parseConfig({
      workload: { base_rate: 120, phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 3 }] },
      redis: { host: server.host, port: server.port },
    });
    const names = queueNames(config.queues);
    const conn = redisFactory({ host: server.host, port: server.port, password: 'pw', tls: false, db: 0 })('test');
    const lock = join(dir, 'worker.lock');
    writeFileSync(lock, '');
    await start(collector, 'collector-5d8f');
    await start(emitter, 'emitter-7c9b');
    const w = await start(worker, 'worker-6b7d9-x2k4p', lock);

    await announceEpisode(conn, {
      episodeId: 'fn-ep',
      seed: 3,
      clock: { kind: 'wall', originMs: Date.now() + 200, timeScale: 5 },
      config,
      heartbeat: { intervalMs: 100, ttlMs: 600 },
    });
    await until(async () => (await conn.exists(names.generationDone)) === 1);
    const planned = Number(await conn.get(names.generationDone));
    await until(async () => Number(await conn.get(names.collectedTotal)) === planned);
    expect(planned).toBeGreaterThan(0);

    const status = await (await fetch(`http://127.0.0.1:${w.port}/_/status`)).json();
    expect(status.pod).toBe('worker-6b7d9-x2k4p');
    expect(status.handler).toMatchObject({ role: 'worker', episodeId: 'fn-ep', id: 'worker-6b7d9-x2k4p', running: true, tasks: planned });
    const outputs = (await conn.lrange(names.output, 0, -1)).map((r) => JSON.parse(r));
    expect(new Set(outputs.map((o) => o.worker_id))).toEqual(new Set(['worker-6b7d9-x2k4p']));

    rmSync(lock);
    await w.stopped;
    conn.disconnect();
  });
});
