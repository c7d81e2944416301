/**
 * `pnpm bench tune [episodes]`: `autofarm tune --agent all` (every rule, 12 settings x `episodes`
 * validation episodes, default 40: the shipped choices' budget), timed from spawn to exit at the
 * default --jobs and at --jobs 1; checks that both wrote the same tune.json and that its choices
 * are the configuration's `tuned:` block. The load average is recorded: other work on the
 * machine stretches wall time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@autofarm/core';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../configuration.yml', import.meta.url));

function timedTune(episodes: number, extra: string[]): { seconds: number; json: string } {
  const dir = mkdtempSync(join(tmpdir(), 'autofarm-bench-tune-'));
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [CLI, 'tune', '--agent', 'all', '--episodes', String(episodes), '--config', CONFIG, '--out', dir, ...extra],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: 'true' },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`autofarm tune ${extra.join(' ')} exited ${String(r.status)}`);
  process.stderr.write(`tune ${extra.join(' ') || '(default jobs)'}: ${seconds.toFixed(1)} s, load average ${loadavg()[0]?.toFixed(2)}\n`);
  return { seconds, json: readFileSync(join(dir, 'tune.json'), 'utf8') };
}

export async function run(args: string[]) {
  const episodes = Number(args[0] ?? 40);
  const loadBefore = loadavg()[0] as number;
  const parallel = timedTune(episodes, []);
  const serial = timedTune(episodes, ['--jobs', '1']);
  const result = JSON.parse(serial.json) as { rules: Array<{ rule: string; choice: Record<string, number> }> };
  const tuned = loadConfig(CONFIG).tuned;
  const differing = result.rules.filter((r) => JSON.stringify(r.choice) !== JSON.stringify(tuned[r.rule] ?? null)).map((r) => r.rule);
  return {
    bench: 'tune',
    episodes,
    seconds: Math.round(parallel.seconds * 10) / 10,
    seconds_jobs_1: Math.round(serial.seconds * 10) / 10,
    identical_across_jobs: parallel.json === serial.json,
    choices: Object.fromEntries(result.rules.map((r) => [r.rule, r.choice])),
    configuration_differs_on: differing,
    load_average_before: Math.round(loadBefore * 100) / 100,
  };
}
