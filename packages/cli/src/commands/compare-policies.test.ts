import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('autofarm compare-policies', () => {
  const io = captureOutput();

  const run = (...args: string[]) => main(['node', 'autofarm', 'compare-policies', '--config', shipped, ...args]);

  it('compares every baseline and the shipped general models when no --agents are given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-compare-default-'));
    try {
      expect(await run('--episodes', '1', '--max-steps', '4', '--out', dir)).toBe(0);
      const results = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
      expect(Object.keys(results.agents)).toEqual(expect.arrayContaining(['SARSA (general)', 'DQN (general)']));
      expect(Object.keys(results.agents)).toHaveLength(9 + 2); // DEFAULT_AGENTS + the two shipped models
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('on Ctrl-C says what it interrupted and keeps the agents that finished (exit code 130)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autofarm-cmp-int-')), 'run');
    // Ctrl-C as soon as Static's result line is printed: KPA is running or about to start.
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      io.err += String(chunk);
      if (String(chunk).startsWith('Static: QoS')) process.emit('SIGINT');
      return true;
    });
    try {
      const args = ['--agents', 'static', 'kpa', 'hpa', '--episodes', '2', '--max-steps', '6', '--scenario', 'spike-flash', '--out', dir];
      expect(await run(...args)).toBe(0);
      expect(process.exitCode).toBe(130);
    } finally {
      process.exitCode = undefined;
    }
    expect(io.err).toContain('compare-policies: stopping after this episode');
    expect(io.err).toMatch(
      /compare-policies: interrupted KPA after 0 of 2 episodes; kept Static \(all 2 episodes\) in aggregated_results.json/,
    );
    expect(io.err).toContain('not run: HPA');
    const results = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(Object.keys(results.agents)).toEqual(['Static']);
    expect(JSON.parse(readFileSync(join(dir, 'interrupted.json'), 'utf8'))).toMatchObject({ interrupted_during: 'KPA', not_run: ['HPA'] });
    const md = readFileSync(join(dir, 'comparison.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('# Policy comparison: scenario spike-flash');
    expect(md).toContain('Interrupted (Ctrl-C)');
  });

  it('writes aggregated_results.json, comparison.md, comparison.log and readable PNGs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-cmp-'));
    expect(await run('--agents', 'static', 'reactiveaverage', 'oracle', '--episodes', '2', '--max-steps', '12', '--out', dir)).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(Object.keys(results.agents)).toHaveLength(3);
    for (const agent of Object.values(results.agents) as Array<{
      records: Array<{ seed: number; actions: number[] }>;
      summary: Record<string, { mean: number; std: number }>;
    }>) {
      expect(agent.records.map((r) => r.seed)).toEqual([1_000_042, 1_000_043]);
      expect(agent.records[0]!.actions).toHaveLength(12);
      for (const k of [
        'qos_rate',
        'mean_workers',
        'max_workers',
        'worker_seconds',
        'scaling_actions',
        'noop_actions',
        'total_reward',
        'p95_latency',
      ]) {
        expect(agent.summary[k]).toEqual({ mean: expect.any(Number), std: expect.any(Number) });
      }
    }
    expect(readFileSync(join(dir, 'comparison.md'), 'utf8')).toMatch(/\| Policy \| QoS rate \[%\]/);
    expect(readFileSync(join(dir, 'comparison.log'), 'utf8')).toContain('3 agents x 2 episodes');
    for (const png of ['comparison_plots.png', 'qos_vs_workers.png']) expect(readFileSync(join(dir, png)).subarray(0, 4)).toEqual(PNG);
    expect(io.out).toContain('| Policy |');

    // --plot-only re-renders from the JSON alone.
    rmSync(join(dir, 'comparison_plots.png'));
    rmSync(join(dir, 'comparison.md'));
    expect(await main(['node', 'autofarm', 'compare-policies', '--plot-only', '--input-dir', dir])).toBe(0);
    expect(existsSync(join(dir, 'comparison_plots.png'))).toBe(true);
    expect(existsSync(join(dir, 'comparison.md'))).toBe(true);

    // Replaying an episode's recorded actions on the same seed reproduces its metrics exactly.
    const replayDir = mkdtempSync(join(tmpdir(), 'autofarm-replay-'));
    const recorded = results.agents.ReactiveAverage.records[0];
    const replayFile = join(dir, 'aggregated_results.json');
    expect(
      await run(
        '--agents',
        'replay',
        '--replay-file',
        replayFile,
        '--replay-agent',
        'ReactiveAverage',
        '--episodes',
        '1',
        '--max-steps',
        '12',
        '--out',
        replayDir,
      ),
    ).toBe(0);
    const replayed = JSON.parse(readFileSync(join(replayDir, 'aggregated_results.json'), 'utf8'));
    const rec = (Object.values(replayed.agents)[0] as { records: Array<Record<string, unknown>> }).records[0]!;
    expect(rec.seed).toBe(recorded.seed);
    expect(rec.actions).toEqual(recorded.actions);
    expect(rec.summary).toEqual(recorded.summary);
  });

  it('reuses records from --baseline-cache for agents on the same seeds', async () => {
    const first = mkdtempSync(join(tmpdir(), 'autofarm-cache-'));
    expect(await run('--agents', 'static', '--episodes', '1', '--max-steps', '6', '--out', first)).toBe(0);
    const second = mkdtempSync(join(tmpdir(), 'autofarm-cache2-'));
    expect(await run('--agents', 'static', '--episodes', '1', '--max-steps', '6', '--baseline-cache', first, '--out', second)).toBe(0);
    expect(io.err).toContain('Static: reused 1 episodes');
  });

  it('uses the shipped models for --agents sarsa dqn without --model, and says what is missing without them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'autofarm-shipped-agents-'));
    expect(await run('--agents', 'sarsa', 'dqn', '--episodes', '1', '--max-steps', '4', '--out', out)).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'aggregated_results.json'), 'utf8')).agents)).toEqual([
      'SARSA (general)',
      'DQN (general)',
    ]);
    const bare = mkdtempSync(join(tmpdir(), 'autofarm-no-models-'));
    copyFileSync(shipped, join(bare, 'configuration.yml'));
    const args = ['node', 'autofarm', 'compare-policies', '--config', join(bare, 'configuration.yml'), '--agents', 'sarsa'];
    expect(await main(args)).toBe(2);
    expect(io.err).toMatch(/--agents sarsa needs --model FILE .*no models\/sarsa\.json next to the configuration/);
  });

  it.each([
    [['--agents', 'nosuchpolicy'], /unknown agent "nosuchpolicy"/],
    [['--agents', 'sarsa', '--model', '/nonexistent/sarsa_final.json'], /sarsa_final\.json/],
    [['--plot-only', '--input-dir', '/nonexistent/dir'], /\/nonexistent\/dir/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    expect(await run(...args)).toBe(2);
    expect(io.err).toMatch(message);
    expect(io.err).not.toMatch(/\n\s+at /);
  });
});
