import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';

describe('autofarm benchmark --suite recurring', () => {
  const io = captureOutput();

  it('scores the recurring scenarios from day 2 and reports day 1 beside it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'autofarm-recurring-'));
    const args = ['--suite', 'recurring', '--scenarios', 'canonical', '--agents', 'static', 'hindsight', '--episodes', '1', '--jobs', '1'];
    expect(await main(['node', 'autofarm', 'benchmark', '--config', SHIPPED_CONFIG, ...args, '--out', out])).toBe(0);
    const board = JSON.parse(readFileSync(join(out, 'scoreboard.json'), 'utf8'));
    const day1 = JSON.parse(readFileSync(join(out, 'day1', 'scoreboard.json'), 'utf8'));
    // 5 days of 30 steps (+ up to 10 to drain, ended early once drained): day 1 is 30 steps, days 2 on the rest
    expect(day1.scenarios.canonical.agents.Static.records[0].steps).toBe(30);
    expect(board.scenarios.canonical.agents.Static.records[0].steps).toBeGreaterThanOrEqual(120);
    expect(board.scenarios.canonical.agents.Static.records[0].steps).toBeLessThanOrEqual(130);
    expect(board.meta.scope).toContain('days 2 on');
    const md = readFileSync(join(out, 'recurring.md'), 'utf8');
    expect(md).toContain('| Static | ');
    expect(md).toContain('| Hindsight * | ');
    expect(readFileSync(join(out, 'scoreboard.md'), 'utf8')).toContain('Scored: days 2 on');
  });

  it('names the flag and the choices for an unknown suite (exit 2)', async () => {
    expect(await main(['node', 'autofarm', 'benchmark', '--config', SHIPPED_CONFIG, '--suite', 'weekly'])).toBe(2);
    expect(io.err).toContain('--suite');
    expect(io.err).toContain('recurring');
  });
});
