/**
 * A real Prometheus (Debian's `prometheus`; scripts/setup.sh and .ci/run install it) scrapes a
 * running controller on a loopback port, and a metric is read back through its HTTP API: the
 * exposition format and the scrape path work end to end, not just a string compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Policy } from '@autofarm/core';
import { startClock } from '@autofarm/farm';
import { freePort, startTestFarm, until, type TestFarm } from '@autofarm/farm/testing';
import { runAutoscaler } from './controller.js';
import { AutoscaleMetrics, serveMetrics } from './metrics.js';

let farm: TestFarm;
let dir: string;
let prometheus: ChildProcess | null = null;
beforeAll(async () => {
  farm = await startTestFarm();
  dir = mkdtempSync(join(tmpdir(), 'autofarm-prometheus-'));
});
afterAll(async () => {
  prometheus?.kill('SIGKILL');
  await farm.close();
  rmSync(dir, { recursive: true, force: true });
});

const holdAt7: Policy = { name: 'to-seven', cadence: 2, reset() {}, act: (obs) => 7 - (obs[4] ?? 0) };

describe('metrics through a real Prometheus', () => {
  it('scrapes /metrics and answers a query for the desired worker count', async () => {
    const metrics = new AutoscaleMetrics();
    const { server, port } = await serveMetrics(metrics, '127.0.0.1', 0);
    const abort = new AbortController();
    let workers = 3;
    const clock = startClock(10);
    const target = {
      where: 'memory',
      clock: async () => clock,
      status: async () => ({ workers, ready: workers }),
      apply: async (n: number) => (workers = n),
    };
    await farm.redis.set(farm.names.enqueuedTotal, 1);
    const run = runAutoscaler({
      config: parseConfig({ ...farm.config, autoscale: { stale_after: 1e6 } }),
      policy: holdAt7,
      policyName: 'to-seven',
      fallback: holdAt7,
      conn: farm.redis,
      target,
      metrics,
      log: () => {},
      signal: abort.signal,
    });
    try {
      const web = await freePort();
      writeFileSync(
        join(dir, 'prometheus.yml'),
        'global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: autoscale\n' +
          `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
      );
      const p = spawn(
        'prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${web}`,
        ],
        { stdio: 'ignore' },
      );
      prometheus = p;
      const failed = new Promise<never>((_, reject) =>
        p.once('error', (e) => reject(new Error(`cannot run prometheus (apt-get install -y prometheus): ${e.message}`))),
      );
      const value = await Promise.race([
        failed,
        until(
          async () => {
            const res = await fetch(`http://127.0.0.1:${web}/api/v1/query?query=autofarm_autoscale_desired_workers`).catch(() => null);
            if (!res?.ok) return false;
            const body = (await res.json()) as { data: { result: Array<{ value: [number, string]; metric: Record<string, string> }> } };
            return body.data.result[0] ?? false;
          },
          { what: 'Prometheus to have scraped autofarm_autoscale_desired_workers', timeoutMs: 60_000, pollMs: 250 },
        ),
      ]);
      expect(value.metric).toMatchObject({ job: 'autoscale', instance: `127.0.0.1:${port}` });
      expect(Number(value.value[1])).toBe(7);
    } finally {
      abort.abort();
      await run;
      await new Promise((r) => server.close(r));
    }
  }, 90_000);
});
