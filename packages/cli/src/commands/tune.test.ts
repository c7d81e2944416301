import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TUNE_SETTINGS } from '@autofarm/baselines';
import { EVALUATION_SEED_OFFSET, VALIDATION_SEED_OFFSET } from '@autofarm/env';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';
import { chooseRow, type TuneRow } from '../tune/tune.js';

describe('autofarm tune', () => {
  const io = captureOutput();
  const run = (...args: string[]) => main(['node', 'autofarm', 'tune', '--config', SHIPPED_CONFIG, ...args]);

  it('sweeps every setting on validation seeds, picks the cheapest and writes the same tables with one job or two', async () => {
    const one = mkdtempSync(join(tmpdir(), 'autofarm-tune1-'));
    const two = mkdtempSync(join(tmpdir(), 'autofarm-tune2-'));
    expect(await run('--agent', 'reserve', 'static', '--episodes', '1', '--jobs', '1', '--out', one)).toBe(0);
    expect(await run('--agent', 'reserve', 'static', '--episodes', '1', '--jobs', '2', '--out', two)).toBe(0);
    for (const file of ['tune.json', 'tune.md']) expect(readFileSync(join(two, file))).toEqual(readFileSync(join(one, file)));

    const t = JSON.parse(readFileSync(join(one, 'tune.json'), 'utf8'));
    expect(t.budget).toEqual({ settings: TUNE_SETTINGS, episodes: 1 });
    // validation seeds: base + 2 000 000, never the benchmark's base + 1 000 000
    expect(t.seeds).toEqual([42 + VALIDATION_SEED_OFFSET]);
    expect(t.seeds[0]).not.toBe(42 + EVALUATION_SEED_OFFSET);
    for (const rule of t.rules) {
      expect(rule.rows).toHaveLength(TUNE_SETTINGS);
      const cheapest = Math.min(...rule.rows.map((r: TuneRow) => r.cost));
      expect(rule.rows.find((r: TuneRow) => r.cost === cheapest).values).toEqual(rule.choice);
      for (const r of rule.rows) expect(r.cost).toBeCloseTo(r.worker_seconds + 100 * r.misses, 6);
    }
    expect(io.out).toContain('## reserve');
    expect(io.out).toMatch(/In configuration\.yml: `tuned: \{ static: \{ share: [\d.]+ \} \}`/);
  }, 120_000);

  it('rejects a rule without knobs, naming the flag', async () => {
    expect(await run('--agent', 'oracle')).toBe(2);
    expect(io.err).toMatch(
      /--agent: expected a rule with knobs \(hpa, keda, kpa, openfaas, queueing, static, reserve, or all\), found "oracle"/,
    );
  });
});

describe('chooseRow', () => {
  const row = (cost: number, v: number): TuneRow => ({
    values: { x: v },
    platform_default: false,
    qos: 1,
    worker_seconds: cost,
    misses: 0,
    cost,
    cost_std: 0,
  });

  it('picks the lowest mean cost, the first in grid order on a tie', () => {
    expect(chooseRow([row(5, 1), row(3, 2), row(3, 3), row(4, 4)]).values).toEqual({ x: 2 });
  });
});
