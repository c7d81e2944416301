import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runBenchmark } from '../benchmark/benchmark.js';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('autofarm benchmark', () => {
  const io = captureOutput();
  const run = (...args: string[]) => main(['node', 'autofarm', 'benchmark', '--config', SHIPPED_CONFIG, ...args]);
  const tiny = ['--scenarios', 'canonical', 'spike-flash', '--agents', 'static', 'kpa', 'oracle', 'hindsight', '--episodes', '2'];

  it('writes the same scoreboard bytes with one job in-process and two worker threads', async () => {
    const one = mkdtempSync(join(tmpdir(), 'autofarm-bench1-'));
    const two = mkdtempSync(join(tmpdir(), 'autofarm-bench2-'));
    expect(await run(...tiny, '--jobs', '1', '--out', one)).toBe(0);
    expect(await run(...tiny, '--jobs', '2', '--out', two)).toBe(0);
    // stdout ends with the overall ranking, not only the directory.
    expect(io.out).toMatch(/Overall ranking over 2 scenario\(s\) x 2 seeds[^\n]*\n\s*Rank\s+Agent\s+Mean rank/);
    expect(io.out).toMatch(/\n\s+1\s+(Static|KPA)\s/);
    for (const file of ['scoreboard.json', 'scoreboard.md']) expect(readFileSync(join(two, file))).toEqual(readFileSync(join(one, file)));

    const board = JSON.parse(readFileSync(join(one, 'scoreboard.json'), 'utf8'));
    expect(Object.keys(board.scenarios)).toEqual(['canonical', 'spike-flash']);
    const canonical = board.scenarios.canonical.agents;
    expect(Object.keys(canonical)).toEqual(['Static', 'KPA', 'Oracle', 'Hindsight']);
    expect(canonical.Static.records.map((r: { seed: number }) => r.seed)).toEqual([1_000_042, 1_000_043]);
    expect(canonical.Static.summary.qos_rate).toEqual({ mean: expect.any(Number), std: expect.any(Number) });
    expect(canonical.Hindsight.summary.qos_rate.mean).toBeGreaterThanOrEqual(0.995);
    expect(readFileSync(join(one, 'scoreboard.md'), 'utf8')).toContain('Hindsight is undominated on every scenario');
    for (const png of ['benchmark_qos_vs_worker_seconds.png', 'benchmark_regret_heatmap.png'])
      expect(readFileSync(join(one, png)).subarray(0, 4)).toEqual(PNG);

    // --plot-only re-renders the table and figures from scoreboard.json alone.
    rmSync(join(one, 'scoreboard.md'));
    rmSync(join(one, 'benchmark_regret_heatmap.png'));
    expect(await main(['node', 'autofarm', 'benchmark', '--plot-only', '--input-dir', one])).toBe(0);
    expect(readFileSync(join(one, 'scoreboard.md'))).toEqual(readFileSync(join(two, 'scoreboard.md')));
    expect(existsSync(join(one, 'benchmark_regret_heatmap.png'))).toBe(true);
  });

  it('names the flag, what it expected and what it found for a bad value (exit 2)', async () => {
    expect(await run('--episodes', '0')).toBe(2);
    expect(await run('--jobs', 'many')).toBe(2);
    expect(io.err).toContain('--jobs: expected an integer >= 1, found "many"');
    expect(await run('--scenarios', 'no-such-scenario', '--episodes', '1')).toBe(2);
    expect(io.err).toContain('--scenarios: expected a scenario name');
    expect(await run('--agents', 'autopilot', '--scenarios', 'canonical', '--episodes', '1')).toBe(2);
    expect(io.err).toContain('unknown agent "autopilot"');
    const long = join(mkdtempSync(join(tmpdir(), 'autofarm-bench-long-')), 'long.yml');
    writeFileSync(long, 'description: 1200 s\nworkload:\n  phases:\n    - { name: s, pattern: steady, multiplier: 1, duration: 1200 }\n');
    expect(await run('--scenarios', 'canonical', long, '--agents', 'static', '--episodes', '1')).toBe(2);
    expect(io.err).toContain(`invalid configuration in ${long}:\n  episode.max_steps: the workload lasts 1200 s`);
    expect(await main(['node', 'autofarm', 'benchmark', '--plot-only'])).toBe(2);
    expect(io.err).toContain('--plot-only: expected --input-dir DIR');
  });

  it('on Ctrl-C keeps every finished episode and scores only the scenarios every agent finished', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autofarm-bench-int-')), 'run');
    const stop = new AbortController();
    let episodes = 0;
    const result = await runBenchmark({
      config: SHIPPED_CONFIG,
      scenarios: ['canonical', 'spike-flash'],
      agents: ['static', 'kpa'],
      episodes: 2,
      jobs: 1,
      out: dir,
      progress: 'quiet',
      signal: stop.signal,
      // The biggest scenario's two jobs run first (2 x 2 episodes), then Ctrl-C.
      onEpisode: () => {
        if (++episodes === 4) stop.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    const kept = JSON.parse(readFileSync(join(dir, 'interrupted.json'), 'utf8'));
    expect(kept).toMatchObject({ finished_episodes: 4, of: 8 });
    expect(kept.complete_scenarios).toHaveLength(1);
    expect(Object.keys(result.board!.scenarios)).toEqual(kept.complete_scenarios);
    expect(readFileSync(join(dir, 'benchmark.log'), 'utf8')).toContain(
      'benchmark: interrupted after 4 of 8 episodes; kept a scoreboard over the 1 of 2',
    );
  }, 60_000);

  it('says on Ctrl-C what was interrupted and exits 130', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autofarm-bench-sig-')), 'run');
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      io.err += String(chunk);
      if (String(chunk).startsWith('benchmark: 1 scenarios')) process.emit('SIGINT');
      return true;
    });
    try {
      expect(await run('--scenarios', 'canonical', '--agents', 'static', '--episodes', '2', '--jobs', '2', '--out', dir)).toBe(0);
      expect(process.exitCode).toBe(130);
    } finally {
      process.exitCode = undefined;
    }
    expect(io.err).toContain('benchmark: stopping after this episode');
    expect(io.err).toContain('benchmark: interrupted after 0 of 2 episodes; kept no scenario finished for every agent, so no scoreboard');
    expect(existsSync(join(dir, 'interrupted.json'))).toBe(true);
  });
});
