import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@autofarm/core';
import { parseAzureInvocations, selectAzureFunction, traceCsv } from './azure-trace.js';

const fixture = join(import.meta.dirname, 'fixtures/azure-invocations-sample.csv');
const rows = parseAzureInvocations(readFileSync(fixture, 'utf8'), fixture);

describe('Azure Functions 2019 per-minute files', () => {
  it('reads every function row with its keys and 1440 minute counts', () => {
    expect(rows.map((r) => [r.function, r.trigger])).toEqual([
      ['c0ffee00a1b2c3d4', 'timer'],
      ['beef0042d00d1234', 'http'],
      ['fade0077cafe9876', 'queue'],
    ]);
    for (const r of rows) expect(r.counts).toHaveLength(1440);
    expect(rows[0]!.counts.slice(0, 6)).toEqual([40, 0, 0, 0, 0, 40]);
  });

  it('selects a function by HashFunction prefix or by how busy it is', () => {
    expect(selectAzureFunction(rows, { hash: 'fade' }).trigger).toBe('queue');
    expect(selectAzureFunction(rows, {}).trigger).toBe('http');
    expect(selectAzureFunction(rows, { rank: 2 }).trigger).toBe('timer');
    expect(() => selectAzureFunction(rows, { hash: 'zzz' })).toThrow(
      /--function: expected the prefix of exactly one HashFunction, found 0 matching "zzz"/,
    );
    expect(() => selectAzureFunction(rows, { rank: 9 })).toThrow(/--rank: expected 1..3, found 9/);
  });

  it('rejects a file in another format, naming what it found', () => {
    expect(() => parseAzureInvocations('a,b,c\n1,2,3\n', 'x.csv')).toThrow(UsageError);
    expect(() => parseAzureInvocations('a,b,c\n1,2,3\n', 'x.csv')).toThrow(
      /x\.csv: expected an Azure Functions 2019 per-minute file .* found header "a,b,c"/,
    );
    expect(() => parseAzureInvocations('HashOwner,HashApp,HashFunction,Trigger,"1","2"\no,a,f,http,3\n', 'y.csv')).toThrow(
      /y\.csv line 2: expected 6 cells \(4 keys and 2 counts\), found 5/,
    );
  });

  it('names the line, the minute and the bad value of a count that is not a number', () => {
    const header = 'HashOwner,HashApp,HashFunction,Trigger,"1","2"';
    expect(() => parseAzureInvocations(`${header}\no,a,f,http,3,4\n\no,a,g,http,5,many\n`, 'z.csv')).toThrow(
      'z.csv line 4: expected a count >= 0 in column "2" (minute 2), found "many"',
    );
    expect(() => parseAzureInvocations(`${header}\no,a,f,http,-1,4\n`, 'z.csv')).toThrow(
      'z.csv line 2: expected a count >= 0 in column "1" (minute 1), found "-1"',
    );
  });

  it('writes our minute,count CSV', () => {
    expect(traceCsv([3, 0, 7], 'from a test', 10)).toBe('# from a test\nminute,count\n10,3\n11,0\n12,7\n');
  });
});
