/**
 * `autofarm compare-policies --backend openfaas` against the fake cluster in OpenFaaS CE mode
 * (issue 19's acceptance): 32 workers fail within the preflight with the one-line cap message
 * and exit 2; the 5-worker scenario completes an episode. The fake's pods run the real function
 * loops in this process, on a real redis-server; the CLI finds them through AUTOFARM_KUBECONFIG,
 * as after `source ~/.autofarm/env`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCluster, podProcess } from '@autofarm/env/testing';
import { redisFactory, type RedisFactory, type Role } from '@autofarm/farm';
import { startRedisServer, until, type RedisServerHandle } from '@autofarm/farm/testing';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';

const fiveWorkers = new URL('../../../../scenarios/five-workers.yml', import.meta.url).pathname;

let redis: RedisServerHandle;
let fake: FakeCluster;
let dir: string;
const conns: Array<{ disconnect(): void }> = [];
const saved = { ...process.env };

beforeEach(async () => {
  redis = await startRedisServer();
  const base = redisFactory({ host: redis.host, port: redis.port, password: null, tls: false, db: 0 });
  const factory: RedisFactory = (name) => {
    const c = base(name);
    conns.push(c);
    return c;
  };
  fake = await new FakeCluster({
    edition: 'ce',
    functions: { emitter: 1, worker: 4, collector: 1 },
    coldStartMs: 50,
    startPod: (pod) => podProcess(pod.fn as Role, pod.name, factory, 1500),
  }).start();
  dir = mkdtempSync(join(tmpdir(), 'af-cli-ce-'));
  await until(() => ['emitter', 'worker', 'collector'].every((fn) => fake.podsOf(fn).some((p) => p.ready)) || undefined, {
    what: 'a ready pod of every function',
  });
  process.env.AUTOFARM_KUBECONFIG = fake.writeKubeconfig(dir);
  process.env.OPENFAAS_PASSWORD = fake.gatewayAuth.password;
  // The canonical shape, shortened to 4 s of arrivals (the real one is 240 s of wall time).
  writeFileSync(
    join(dir, 'configuration.yml'),
    JSON.stringify({
      workload: { base_rate: 300, phases: [{ name: 'a', pattern: 'steady', multiplier: 1, duration: 4 }] },
      episode: { step_duration: 1, observation_window: 1, max_steps: 30 },
      scaling: { min_workers: 1, max_workers: 32, initial_workers: 12 },
      redis: { host: redis.host, port: redis.port },
      openfaas: { gateway: fake.gatewayUrl },
    }),
  );
});

afterEach(async () => {
  process.env = { ...saved };
  await fake.close();
  expect(fake.unexpected).toEqual([]);
  for (const c of conns.splice(0)) c.disconnect();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('compare-policies --backend openfaas on OpenFaaS CE (fake)', () => {
  const io = captureOutput();
  const run = (...args: string[]) =>
    main([
      'node',
      'autofarm',
      'compare-policies',
      '--config',
      join(dir, 'configuration.yml'),
      '--backend',
      'openfaas',
      '--agents',
      'static',
      '--episodes',
      '1',
      '--out',
      join(dir, 'run'),
      ...args,
    ]);

  it('with 32 workers exits 2 with one line naming the 5-replica cap and the fix, before any episode', async () => {
    expect(await run()).toBe(2);
    // The run's header line, then the error: one line.
    const errors = io.err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('autofarm:'));
    expect(errors).toHaveLength(1);
    expect(io.err.trim().split('\n').at(-1)).toBe(errors[0]);
    expect(errors[0]).toMatch(/OpenFaaS CE caps function replicas at 5: use --mode deployments, a 5-worker scenario, or OpenFaaS Standard/);
    expect(fake.clamps).toContainEqual({ name: 'worker', from: 32, to: 5 });
    expect(existsSync(join(dir, 'run', 'aggregated_results.json'))).toBe(false);
  });

  it('with the 5-worker scenario completes an episode', async () => {
    expect(await run('--scenario', fiveWorkers)).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'run', 'aggregated_results.json'), 'utf8')) as {
      agents: Record<string, { records: Array<{ actions: number[] }> }>;
    };
    const [agent] = Object.values(results.agents);
    expect(agent?.records).toHaveLength(1);
    expect(agent?.records[0]?.actions.length).toBeGreaterThan(0);
    expect(Math.max(...fake.scaleWrites.map((w) => w.replicas))).toBeLessThanOrEqual(5);
    expect(fake.clamps).toEqual([]);
  }, 120_000);
});
