import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '@autofarm/core';
import { episodeFit } from '@autofarm/workload';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';

const root = join(import.meta.dirname, '../../../..');
const fixture = join(root, 'packages/workload/src/fixtures/azure-invocations-sample.csv');
const example = join(root, 'scenarios/traces/azure-http-example.csv');

describe('autofarm convert-trace', () => {
  const io = captureOutput();

  it('turns one function of an Azure per-minute file into the shipped example trace, byte for byte', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autofarm-trace-')), 'trace.csv');
    expect(
      await main([
        'node',
        'autofarm',
        'convert-trace',
        '--input',
        fixture,
        '--function',
        'beef',
        '--start',
        '480',
        '--minutes',
        '120',
        '--out',
        out,
      ]),
    ).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').slice(1)).toEqual(readFileSync(example, 'utf8').split('\n').slice(1));
    expect(io.out).toContain('120 minutes of beef0042d00d1234 (http), 44001 invocations, mean 366.7/min');
  });

  it('prints a scenario that loads as printed and whose episode covers the trace, in real time or compressed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-trace-'));
    for (const [interval, duration] of [
      ['60', 7200],
      ['2', 240],
    ] as const) {
      io.out = '';
      const out = join(dir, `trace-${interval}.csv`);
      const args = ['--input', fixture, '--function', 'beef', '--start', '480', '--minutes', '120', '--interval', interval];
      expect(await main(['node', 'autofarm', 'convert-trace', ...args, '--config', SHIPPED_CONFIG, '--out', out])).toBe(0);
      const yaml = io.out.slice(io.out.indexOf('description:'));
      const file = join(dir, `replay-${interval}.yml`);
      writeFileSync(file, yaml);
      const { config } = loadScenario(file, { base: SHIPPED_CONFIG });
      expect(config.workload.phases).toHaveLength(1);
      expect(config.workload.phases[0]).toMatchObject({ pattern: 'trace', duration });
      expect(config.workload.base_rate).toBe(366.7);
      const fit = episodeFit(config);
      expect(fit.fits).toBe(true);
      expect(fit.episodeSeconds - fit.workloadSeconds).toBeGreaterThanOrEqual(80);
    }
  });

  it('takes the busiest function by default, the whole day', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'autofarm-trace-')), 'trace.csv');
    expect(await main(['node', 'autofarm', 'convert-trace', '--input', fixture, '--out', out])).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[1]).toBe('minute,count');
    expect(lines).toHaveLength(2 + 1440);
  });

  it('names the flag and what it found for a bad input (exit 2)', async () => {
    expect(await main(['node', 'autofarm', 'convert-trace', '--input', join(root, 'nope.csv'), '--out', '/tmp/never.csv'])).toBe(2);
    expect(io.err).toMatch(/--input: cannot read ".*nope\.csv" \(ENOENT\)/);
    expect(await main(['node', 'autofarm', 'convert-trace', '--input', fixture, '--rank', '0', '--out', '/tmp/never.csv'])).toBe(2);
    expect(io.err).toContain('--rank: expected an integer >= 1, found "0"');
  });

  it('replays the example trace end to end: compare-policies --scenario trace-azure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autofarm-trace-run-'));
    expect(
      await main([
        'node',
        'autofarm',
        'compare-policies',
        '--config',
        SHIPPED_CONFIG,
        '--scenario',
        'trace-azure',
        '--agents',
        'static',
        'hindsight',
        '--episodes',
        '2',
        '--out',
        dir,
      ]),
    ).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(results.agents.Hindsight.summary.qos_rate.mean).toBeGreaterThanOrEqual(0.995);
    expect(results.agents.Static.records[0].summary.tasks_generated).toBeGreaterThan(900);
  });
});
