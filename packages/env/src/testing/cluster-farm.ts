/**
 * The per-test fixture of the openfaas tests: a real redis-server on a free loopback port, a
 * Redis factory whose connections are closed after the test, a temporary directory, and the fake
 * cluster whose pods run the real function loops in this process. `useClusterFarm` registers the
 * beforeEach/afterEach; the test keeps the backend it builds in `farm.backend`, so it is stopped
 * first. After each test the cluster must have seen no request it did not expect.
 * Imports vitest: for test files only (not re-exported by testing/index.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Config } from '@autofarm/core';
import { redisFactory, type RedisFactory, type Role } from '@autofarm/farm';
import { startRedisServer, type RedisServerHandle } from '@autofarm/farm/testing';
import { OpenFaasBackend } from '../openfaas/openfaas-backend.js';
import type { OpenFaasTargets } from '../openfaas/preflight.js';
import { FakeCluster, podProcess, type FakeClusterOptions } from './fake-cluster.js';

export interface ClusterFarm {
  readonly redis: RedisServerHandle;
  readonly factory: RedisFactory;
  readonly dir: string;
  /** The fake cluster of this test (throws before one was started). */
  readonly fake: FakeCluster;
  /** The backend the test built, stopped after it. */
  backend: OpenFaasBackend | null;
  /** Start this test's fake cluster; its pods run the function loops on this test's Redis (restart after 1.5 s). */
  start(options: FakeClusterOptions): Promise<FakeCluster>;
  /** The test's backend on `targets` with this test's Redis and short timings (kept in `backend`, stopped after the test). */
  backendFor(config: Config, targets: OpenFaasTargets, startTimeoutMs: number): OpenFaasBackend;
}

/** The fixture, with a fake cluster started before every test when `cluster` is given (else by `farm.start`). */
export function useClusterFarm(tmpPrefix: string, cluster?: FakeClusterOptions): ClusterFarm {
  let redis: RedisServerHandle | null = null;
  let factory: RedisFactory | null = null;
  let dir: string | null = null;
  let fake: FakeCluster | null = null;
  const conns: Array<{ disconnect(): void }> = [];
  const need = <T>(x: T | null, what: string): T => {
    if (x === null) throw new Error(`useClusterFarm: no ${what} outside a test`);
    return x;
  };
  const farm: ClusterFarm = {
    get redis() {
      return need(redis, 'redis-server');
    },
    get factory() {
      return need(factory, 'Redis factory');
    },
    get dir() {
      return need(dir, 'directory');
    },
    get fake() {
      return need(fake, 'fake cluster (call start)');
    },
    backend: null,
    async start(options) {
      const redisOf = farm.factory;
      fake = await new FakeCluster({ startPod: (pod) => podProcess(pod.fn as Role, pod.name, redisOf, 1500), ...options }).start();
      return fake;
    },
    backendFor(config, targets, startTimeoutMs) {
      const backend = new OpenFaasBackend(config, { targets, redis: farm.factory, leadMs: 300, settleMs: 200, pollMs: 50, startTimeoutMs });
      farm.backend = backend;
      return backend;
    },
  };

  beforeEach(async () => {
    redis = await startRedisServer();
    const base = redisFactory({ host: redis.host, port: redis.port, password: null, tls: false, db: 0 });
    factory = (name) => {
      const c = base(name);
      conns.push(c);
      return c;
    };
    dir = mkdtempSync(join(tmpdir(), tmpPrefix));
    if (cluster) await farm.start(cluster);
  });

  afterEach(async () => {
    await farm.backend?.stop();
    farm.backend = null;
    await fake?.close();
    const unexpected = fake?.unexpected ?? [];
    fake = null;
    for (const c of conns.splice(0)) c.disconnect();
    await redis?.stop();
    redis = null;
    factory = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
    expect(unexpected).toEqual([]);
  });

  return farm;
}
