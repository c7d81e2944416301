import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;

describe('autofarm simulate', () => {
  const io = captureOutput();

  it('runs one episode with a fixed worker count and writes summary.json and steps.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-sim-'));
    const code = await main([
      'node',
      'autofarm',
      'simulate',
      '--config',
      shipped,
      '--workers',
      '9',
      '--seed',
      '4',
      '--max-steps',
      '10',
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    expect(io.out).toMatch(/Step\s+Time\[s\]/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ seed: 4, workers: 9, steps: 10, max_workers: 9, truncated: true });
    expect(summary.qos_rate).toBeGreaterThan(0);
    const steps = readFileSync(join(dir, 'steps.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(steps).toHaveLength(10);
    expect(steps.every((s) => s.workers === 9)).toBe(true);
  });

  it('warns when the workload outlasts the episode and scores QoS over the tasks generated in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-long-'));
    const long = join(dir, 'long.yml');
    writeFileSync(
      long,
      'description: one steady 1200 s phase\nworkload:\n  phases:\n' +
        '    - { name: steady, pattern: steady, multiplier: 1, duration: 1200 }\n',
    );
    expect(await main(['node', 'autofarm', 'simulate', '--config', shipped, '--scenario', long, '--out', join(dir, 'run')])).toBe(0);
    expect(io.err).toContain(`warning: ${long}: the workload lasts 1200 s but an episode ends after`);
    expect(io.err).toContain('episode.max_steps >= 150');
    const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    expect(summary.tasks_unfinished).toBe(summary.tasks_generated - summary.tasks_completed);
    expect(summary.qos_rate).toBeCloseTo(summary.tasks_met / summary.tasks_generated, 12);
    expect(summary.qos_rate).toBeGreaterThan(0.9);
  });

  it('does not warn for the shipped configuration, whose workload fits its episode', async () => {
    expect(await main(['node', 'autofarm', 'simulate', '--config', shipped, '--max-steps', '30'])).toBe(0);
    expect(io.err).not.toContain('warning');
  });

  it('exits 2 with one line per problem for a bad configuration.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-badcfg-'));
    const file = join(dir, 'configuration.yml');
    writeFileSync(
      file,
      readFileSync(shipped, 'utf8').replace('base_rate: 300', 'base_rate: -3').replace('duration: 60', 'duration: sixty'),
    );
    const code = await main(['node', 'autofarm', 'simulate', '--config', file]);
    expect(code).toBe(2);
    expect(io.err).toContain('workload.base_rate: expected > 0, found -3');
    expect(io.err).toContain('workload.phases[0].duration: expected number, found "sixty"');
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('names the flag the user typed and does not blame the file for a flag out of range', async () => {
    expect(await main(['node', 'autofarm', 'simulate', '--config', shipped, '--workers', '1000'])).toBe(2);
    expect(io.err).toBe('autofarm: --workers: expected within [1, 32], found 1000\n');
  });

  it('says what --seed expects without a 16-digit bound', async () => {
    expect(await main(['node', 'autofarm', 'simulate', '--config', shipped, '--seed', 'abc'])).toBe(2);
    expect(io.err).toContain('--seed: expected an integer, found "abc"');
  });

  it('exits 2 naming the flag for a bad flag value', async () => {
    const code = await main(['node', 'autofarm', 'simulate', '--config', shipped, '--workers', 'many']);
    expect(code).toBe(2);
    expect(io.err).toContain('--workers: expected an integer >= 1, found "many"');
  });
});
