/**
 * `autofarm autoscale` on the real local backend (real redis-server and farm processes, time
 * scale 10): the controller keeps a farm under a recurring load for three of its "days", a
 * kill -9 of the controller leaves the count as it was and loses no task, and a restarted one
 * takes over. Assertions are about counts and records, never about wall-clock speed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, beforeAll, it } from 'vitest';
import { parseConfig, type Config } from '@autofarm/core';
import { redisFactory } from '@autofarm/farm';
import { ensureFarmBuilt, freePort, until } from '@autofarm/farm/testing';
import { AutoscaleMetrics, connectLive, liveKeys, runAutoscaler, runLoad, type DecisionRecord, type LoadSummary } from '@autofarm/env/live';
import { resolveLivePolicy } from './registry.js';

const BIN = new URL('../../dist/bin.js', import.meta.url).pathname;

/** A local farm config: 1 task/s at night, 5 at the peak (~7.5 busy workers with 1.5 s tasks). */
function farmConfig(phases: unknown[], port: number): Config {
  return parseConfig({
    backend: 'local',
    workload: { base_rate: 60, phases },
    scaling: { min_workers: 1, max_workers: 10, initial_workers: 2 },
    local: { time_scale: 10, warm_pool: 1 },
    autoscale: { local_redis_port: port, stale_after: 20 },
  });
}

const day = (k: number) => [
  { name: `night${k}`, pattern: 'steady', multiplier: 1, duration: 24 },
  { name: `peak${k}`, pattern: 'steady', multiplier: 5, duration: 16 },
];

beforeAll(() => {
  ensureFarmBuilt();
}, 120_000);

describe('autoscale on the local backend', () => {
  it('keeps a farm under a recurring load for three days: up at every peak, no task lost, stale signals -> fallback', async () => {
    // Three days of 40 s, then 30 s without arrivals: the counter stops, so the signals go stale (after 20 s).
    const config = farmConfig(
      [...day(1), ...day(2), ...day(3), { name: 'quiet', pattern: 'steady', multiplier: 0, duration: 30 }],
      await freePort(),
    );
    const records: DecisionRecord[] = [];
    const metrics = new AutoscaleMetrics();
    let fallbackGaugeWhenStale: string | null = null;
    const abort = new AbortController();
    let controller: Promise<unknown> = Promise.resolve();
    const summary = await runLoad({
      config,
      repeat: 1,
      seed: 11,
      log: () => {},
      onStarted: () => {
        controller = (async () => {
          const live = await connectLive(config, 'local');
          try {
            await runAutoscaler({
              config,
              policy: await resolveLivePolicy('--policy', 'queueing', config, {}),
              policyName: 'queueing',
              fallback: await resolveLivePolicy('--fallback', 'kpa', config, {}),
              conn: live.conn,
              target: live.target,
              metrics,
              signal: abort.signal,
              log: (r) => {
                records.push(r);
                if (r.reason === 'fallback:stale' && fallbackGaugeWhenStale === null)
                  void metrics.registry
                    .getSingleMetricAsString('autofarm_autoscale_fallback_active')
                    .then((s) => (fallbackGaugeWhenStale = s));
              },
            });
          } finally {
            live.close();
          }
        })();
      },
    });
    abort.abort();
    await controller;
    expect(summary).toMatchObject({ deadLetters: 0, aborted: false });
    expect(summary.collected).toBe(summary.enqueued);
    for (let d = 0; d < 3; d++) {
      const peakStart = 40 * d + 24;
      const inPeak = records.filter((r) => r.t >= peakStart + 4 && r.t < peakStart + 16 && r.desired !== null);
      const before = records.filter((r) => r.t >= peakStart - 12 && r.t < peakStart && r.desired !== null);
      expect(inPeak.length, `decisions in the peak of day ${d + 1}`).toBeGreaterThan(0);
      // Up for the peak: above the night's count, or already at the ceiling (a farm still draining the night's backlog).
      const peak = Math.max(...inPeak.map((r) => r.desired as number));
      const night = Math.min(...before.map((r) => r.desired as number));
      expect(peak > night || peak === config.scaling.max_workers, `day ${d + 1}: peak ${peak} vs night ${night}`).toBe(true);
    }
    expect(records.filter((r) => r.t < 120).every((r) => r.reason === 'policy')).toBe(true);
    const stale = records.find((r) => r.reason === 'fallback:stale');
    expect(stale, 'a fallback decision once the counter stopped').toMatchObject({ active: 'KPA', fallback: true });
    expect(stale!.t).toBeGreaterThan(120 + 20 - 1);
    expect(fallbackGaugeWhenStale).toContain('autofarm_autoscale_fallback_active 1');
  }, 120_000);

  it('kill -9 of the controller leaves the count as it was and loses no task; a restarted one takes over', async () => {
    const redisPort = await freePort();
    const config = farmConfig([{ name: 'steady', pattern: 'steady', multiplier: 3, duration: 200 }], redisPort);
    const children: ChildProcess[] = [];
    const start = (port: number) => {
      const lines: DecisionRecord[] = [];
      const stderr: string[] = [];
      const child = spawn(
        process.execPath,
        [
          BIN,
          'autoscale',
          '--policy',
          'queueing',
          '--backend',
          'local',
          '--redis',
          `127.0.0.1:${redisPort}`,
          '--port',
          String(port),
          '--config',
          SHIPPED,
          '--max-workers',
          '10',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
      let buffer = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as DecisionRecord);
      });
      logs.push(stderr);
      return { child, lines, stderr };
    };
    let held: { before: number; after: number; desiredKey: string | null } | null = null;
    let failure: unknown = null;
    let restarted: DecisionRecord[] = [];
    let stage = 'starting the first controller';
    let termExit: number | null = -1;
    const logs: string[][] = [];
    const summary: LoadSummary = await runLoad({
      config,
      repeat: 1,
      seed: 12,
      log: () => {},
      followMs: 50,
      onStarted: ({ local }) => {
        void (async () => {
          const first = start(await freePort());
          await until(() => exited(first.child) || first.lines.filter((r) => r.applied !== null).length >= 3, {
            what: 'three applied decisions',
            timeoutMs: 60_000,
          }).catch((error: unknown) => {
            throw new Error(`${(error as Error).message}; controller stderr: ${first.stderr.join('')}`);
          });
          if (first.child.exitCode !== null) throw new Error(`the controller exited ${first.child.exitCode}: ${first.stderr.join('')}`);
          stage = 'kill -9 and hold';
          first.child.kill('SIGKILL');
          await new Promise((r) => first.child.once('exit', r));
          const before = local!.workerCounts().workers;
          // 1 s real = 10 program s (more than the policy's 8 s cadence) with no controller
          await new Promise((r) => setTimeout(r, 1000));
          const conn = redisFactory({ host: '127.0.0.1', port: redisPort, password: null, tls: false, db: 0 })('test');
          held = {
            before,
            after: local!.workerCounts().workers,
            desiredKey: await conn.get(liveKeys(config.autoscale.key_prefix).desired),
          };
          conn.disconnect();
          stage = 'restarting the controller';
          const second = start(await freePort());
          restarted = second.lines;
          await until(() => exited(second.child) || second.lines.some((r) => r.applied !== null), {
            what: 'a decision by the restarted controller',
            timeoutMs: 60_000,
          });
          const exit = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)));
          second.child.kill('SIGTERM');
          termExit = await exit;
          stage = 'done';
        })().catch((error: unknown) => {
          failure = error;
        });
      },
    });
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    if (failure) throw failure;
    expect(stage, `the load ended first; controllers' stderr: ${logs.map((l) => l.join('')).join(' | ')}`).toBe('done');
    expect(held).not.toBeNull();
    const h = held as unknown as { before: number; after: number; desiredKey: string | null };
    expect(h.after).toBe(h.before);
    expect(Number(h.desiredKey)).toBe(h.before);
    expect(restarted.length).toBeGreaterThan(0);
    expect(restarted[0]).toMatchObject({ reason: 'policy', current: h.before });
    expect(termExit, 'SIGTERM ends the controller with exit code 0').toBe(0);
    expect(summary).toMatchObject({ deadLetters: 0, aborted: false });
    expect(summary.collected).toBe(summary.enqueued);
  }, 120_000);
});

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
const SHIPPED = new URL('../../../../configuration.yml', import.meta.url).pathname;
