import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;

describe('autofarm test-reactive-baselines', () => {
  const io = captureOutput();

  it('runs both rules on the same seed with per-step tables, plots and summary.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-trb-'));
    const code = await main([
      'node',
      'autofarm',
      'test-reactive-baselines',
      '--config',
      shipped,
      '--steps',
      '6',
      '--step-duration',
      '10',
      '--horizon',
      '10',
      '--out',
      dir,
    ]);
    expect(code).toBe(0);
    expect(io.out).toMatch(/== ReactiveAverage, episode 1\/1/);
    expect(io.out).toMatch(/== ReactiveMaximum, episode 1\/1/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(Object.keys(summary.agents)).toEqual(['ReactiveAverage', 'ReactiveMaximum']);
    expect(summary.agents.ReactiveAverage.episodes[0].seed).toBe(summary.agents.ReactiveMaximum.episodes[0].seed);
    expect(summary.agents.ReactiveAverage.summary.qos_rate).toEqual({ mean: expect.any(Number), std: 0 });
    expect(summary.agents.ReactiveAverage.episodes[0].steps).toBe(6);
    expect(existsSync(join(dir, 'plots', 'reactiveaverage_episode_01.png'))).toBe(true);
    expect(readFileSync(join(dir, 'logs', 'evaluation.log'), 'utf8')).toContain('Worker_Q');
    const config = JSON.parse(readFileSync(join(dir, 'config.resolved.json'), 'utf8'));
    expect([config.episode.step_duration, config.baselines.horizon]).toEqual([10, 10]);
  });
});
