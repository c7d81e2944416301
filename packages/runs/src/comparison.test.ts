import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFileError } from '@autofarm/core';
import { summarize } from '@autofarm/env';
import { comparisonMarkdown, readAggregatedResults, writeComparison } from './comparison.js';
import { createRunDir } from './run-dir.js';
import { syntheticRecord } from './testing/synthetic.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runs-cmp-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const agents = () => ({
  reactiveaverage: [syntheticRecord(1), syntheticRecord(2), syntheticRecord(3)],
  oracle: [syntheticRecord(4, { slack: 3 }), syntheticRecord(5, { slack: 3 }), syntheticRecord(6, { slack: 3 })],
});

describe('writeComparison / readAggregatedResults', () => {
  it('round-trips every record and summary through aggregated_results.json', () => {
    const input = agents();
    const written = writeComparison(createRunDir({ out: dir, prefix: 'x' }), input, { seeds: [1, 2, 3], backend: 'sim' });
    const read = readAggregatedResults(dir);
    expect(read).toEqual(written);
    expect(Object.keys(read.agents)).toEqual(['reactiveaverage', 'oracle']);
    expect(read.agents.oracle?.records).toEqual(input.oracle);
    expect(read.agents.oracle?.summary).toEqual(summarize(input.oracle));
    expect(read.meta).toEqual({ seeds: [1, 2, 3], backend: 'sim' });
    // The file itself works as well as its directory.
    expect(readAggregatedResults(join(dir, 'aggregated_results.json'))).toEqual(written);
  });

  it('writes the agents/records/summary layout other tools read', () => {
    writeComparison(createRunDir({ out: dir, prefix: 'x' }), agents());
    const raw = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    expect(raw.agents.reactiveaverage.records[0]).toHaveProperty('worker_counts');
    expect(raw.agents.reactiveaverage.summary.qos_rate).toEqual({ mean: expect.any(Number), std: expect.any(Number) });
    expect(raw.meta).toEqual({});
  });

  it('reads NaN (written as null) back as NaN', () => {
    const record = syntheticRecord(1);
    record.avg_times[0] = Number.NaN;
    record.summary.p95_latency = Number.NaN;
    writeComparison(createRunDir({ out: dir, prefix: 'x' }), { a: [record] });
    const back = readAggregatedResults(dir).agents.a?.records[0];
    expect(back?.avg_times[0]).toBeNaN();
    expect(back?.summary.p95_latency).toBeNaN();
  });

  it('accepts the bare {name: {records, summary}} mapping', () => {
    writeComparison(createRunDir({ out: dir, prefix: 'x' }), agents());
    const raw = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    writeFileSync(join(dir, 'bare.json'), JSON.stringify(raw.agents));
    expect(Object.keys(readAggregatedResults(join(dir, 'bare.json')).agents)).toEqual(['reactiveaverage', 'oracle']);
  });

  it('names a missing directory, a directory without results, bad JSON and a malformed field', () => {
    const fail = (path: string) => {
      try {
        readAggregatedResults(path);
      } catch (error) {
        expect(error).toBeInstanceOf(ModelFileError);
        return (error as Error).message;
      }
      throw new Error('expected a ModelFileError');
    };
    expect(fail(join(dir, 'nope'))).toMatch(/nope does not exist/);
    expect(fail(dir)).toMatch(/no aggregated_results\.json in /);
    writeFileSync(join(dir, 'aggregated_results.json'), '{"agents": ');
    expect(fail(dir)).toMatch(/is not valid JSON/);
    writeComparison(createRunDir({ out: dir, prefix: 'x' }), agents());
    const raw = JSON.parse(readFileSync(join(dir, 'aggregated_results.json'), 'utf8'));
    raw.agents.oracle.records[1].qos_rates[3] = 'high';
    delete raw.agents.oracle.records[0].seed;
    writeFileSync(join(dir, 'aggregated_results.json'), JSON.stringify(raw));
    const message = fail(dir);
    expect(message).toMatch(/is not a valid aggregated_results\.json/);
    expect(message).toContain('agents.oracle.records[1].qos_rates[3]');
    expect(message).toContain('agents.oracle.records[0].seed');
    writeFileSync(join(dir, 'aggregated_results.json'), '[1, 2]');
    expect(fail(dir)).toMatch(/not a valid aggregated_results/);
  });
});

describe('comparisonMarkdown', () => {
  it('has one row per agent with mean ± std cells and says which std', () => {
    const written = writeComparison(createRunDir({ out: dir, prefix: 'x' }), agents());
    const md = readFileSync(join(dir, 'comparison.md'), 'utf8');
    expect(md).toBe(comparisonMarkdown(written));
    const s = written.agents.oracle!.summary;
    const row = md.split('\n').find((l) => l.startsWith('| oracle |'));
    expect(row).toContain(`${(s.qos_rate.mean * 100).toFixed(2)} ± ${(s.qos_rate.std * 100).toFixed(2)}`);
    expect(row).toContain(`${s.mean_workers.mean.toFixed(2)} ± ${s.mean_workers.std.toFixed(2)}`);
    expect(row).toContain(`${s.worker_seconds.mean.toFixed(2)} ± ${s.worker_seconds.std.toFixed(2)}`);
    expect(md).toContain(
      '| Policy | QoS rate [%] | Mean workers | Max workers | Worker-seconds | Decisions ' + '| Scaling actions | p95 latency [s] |',
    );
    expect(md).toContain('population standard deviation (divide by n) over 3 episodes');
  });
});
