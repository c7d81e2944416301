/**
 * `pnpm bench benchmark [runs]`: what a user waits for with `pnpm benchmark` (defaults: every
 * scenario x every default agent x 20 held-out seeds), timed from spawn to exit of the CLI.
 *   1. `runs` (default 3) runs with the default --jobs (the machine's cores): median wall time;
 *   2. one run with --jobs 1: the parallel speed-up;
 *   3. every run's scoreboard.json and scoreboard.md compared byte for byte;
 *   4. per scenario: hindsight's QoS and worker-seconds next to the oracle's, and whether any
 *      agent dominates hindsight (matches or beats it on both QoS and worker-seconds).
 * Acceptance (issue 12): median <= 180 s on this 2-core machine; hindsight >= 99.5 % QoS on
 * every scenario and undominated. The load average is recorded: other work on the machine
 * stretches wall time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '@autofarm/core';
import { dominators, type Scoreboard } from '@autofarm/runs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../configuration.yml', import.meta.url));

function timedRun(extra: string[]): { seconds: number; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'autofarm-bench-benchmark-'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'benchmark', '--config', CONFIG, '--out', dir, ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: 'true' },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`autofarm benchmark ${extra.join(' ')} exited ${String(r.status)}`);
  process.stderr.write(`benchmark ${extra.join(' ') || '(defaults)'}: ${seconds.toFixed(1)} s, load average ${loadavg()[0]?.toFixed(2)}\n`);
  return { seconds, dir };
}

const bytes = (dir: string) =>
  readFileSync(join(dir, 'scoreboard.json')).toString('base64') + readFileSync(join(dir, 'scoreboard.md')).toString('base64');

export async function run(args: string[]) {
  const runs = Number(args[0] ?? 3);
  const loadBefore = loadavg()[0] as number;
  const parallel = Array.from({ length: runs }, () => timedRun([]));
  const serial = timedRun(['--jobs', '1']);
  const reference = bytes(serial.dir);
  const identical = parallel.every((r) => bytes(r.dir) === reference);
  const board = JSON.parse(readFileSync(join(serial.dir, 'scoreboard.json'), 'utf8')) as Scoreboard;
  const scenarios = Object.entries(board.scenarios).map(([name, s]) => {
    const h = s.agents.Hindsight?.summary;
    const o = s.agents.Oracle?.summary;
    return {
      scenario: name,
      hindsight_qos: h ? Math.round(h.qos_rate.mean * 1e5) / 1e3 : null,
      hindsight_min_episode_qos: s.agents.Hindsight
        ? Math.round(Math.min(...s.agents.Hindsight.records.map((r) => r.summary.qos_rate)) * 1e5) / 1e3
        : null,
      hindsight_worker_seconds: h ? Math.round(h.worker_seconds.mean) : null,
      oracle_qos: o ? Math.round(o.qos_rate.mean * 1e5) / 1e3 : null,
      oracle_worker_seconds: o ? Math.round(o.worker_seconds.mean) : null,
    };
  });
  const wall = median(parallel.map((r) => r.seconds));
  const agents = Object.keys(Object.values(board.scenarios)[0]?.agents ?? {});
  return {
    bench: 'benchmark',
    scenarios_n: scenarios.length,
    agents,
    episodes: board.meta.episodes,
    jobs_default: availableParallelism(),
    wall_s_median: Math.round(wall * 10) / 10,
    wall_s_runs: parallel.map((r) => Math.round(r.seconds * 10) / 10),
    wall_s_jobs1: Math.round(serial.seconds * 10) / 10,
    speedup_jobs: Math.round((serial.seconds / wall) * 100) / 100,
    scoreboards_identical: identical,
    within_180_s: wall <= 180,
    hindsight_min_qos: Math.min(...scenarios.map((s) => s.hindsight_qos ?? 0)),
    hindsight_dominated_by: dominators(board),
    per_scenario: scenarios,
    load_average_before: Math.round(loadBefore * 100) / 100,
    load_average_after: Math.round((loadavg()[0] as number) * 100) / 100,
    scoreboard: join(serial.dir, 'scoreboard.md'),
    node: process.version,
  };
}
