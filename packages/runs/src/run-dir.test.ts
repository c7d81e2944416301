import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configHash, loadConfig } from '@autofarm/core';
import { createRunDir, toCsv, utcStamp } from './run-dir.js';
import { autofarmVersion, RUN_FORMAT_VERSION, writeRunMetadata } from './run-metadata.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'runs-test-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const at = new Date(Date.UTC(2025, 10, 19, 11, 21, 55));

describe('createRunDir', () => {
  it('names a new directory <prefix>_<UTC YYYYMMDD_HHMMSS> under base', () => {
    const dir = createRunDir({ base, prefix: 'compare', now: () => at });
    expect(dir.path).toBe(join(base, 'compare_20251119_112155'));
    expect(existsSync(dir.path)).toBe(true);
  });

  it('adds a suffix when two runs start in the same second', () => {
    const a = createRunDir({ base, prefix: 'sarsa_run', now: () => at });
    const b = createRunDir({ base, prefix: 'sarsa_run', now: () => at });
    const c = createRunDir({ base, prefix: 'sarsa_run', now: () => at });
    expect([a.path, b.path, c.path].map((p) => p.slice(base.length + 1))).toEqual([
      'sarsa_run_20251119_112155',
      'sarsa_run_20251119_112155_2',
      'sarsa_run_20251119_112155_3',
    ]);
  });

  it('uses exactly the --out path, creating missing parents, and reuses an existing one', () => {
    const out = join(base, 'deep', 'my-run');
    expect(createRunDir({ out, prefix: 'x' }).path).toBe(out);
    expect(createRunDir({ out, prefix: 'x' }).path).toBe(out);
    expect(readdirSync(join(base, 'deep'))).toEqual(['my-run']);
  });

  it('formats UTC stamps with zero padding', () => {
    expect(utcStamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('20260102_030405');
  });
});

describe('RunDir writers', () => {
  it('writes pretty JSON, text and nested files', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    dir.writeJson('summary.json', { a: 1, b: [1, 2] });
    dir.writeText('logs/run.log', 'hello\n');
    expect(JSON.parse(readFileSync(join(base, 'summary.json'), 'utf8'))).toEqual({ a: 1, b: [1, 2] });
    expect(readFileSync(join(base, 'summary.json'), 'utf8').endsWith('\n')).toBe(true);
    expect(readFileSync(join(base, 'logs', 'run.log'), 'utf8')).toBe('hello\n');
  });

  it('refuses names that leave the run directory', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    expect(() => dir.writeText('../escape.txt', 'x')).toThrow(/inside the run directory/);
    expect(() => dir.writeText('/tmp/abs.txt', 'x')).toThrow(/relative/);
    expect(() => dir.writeText('a/../../escape.txt', 'x')).toThrow(/inside the run directory/);
  });

  it('buffers JSONL rows until close and then writes them in order', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    dir.appendJsonl('steps.jsonl', { step: 1 });
    dir.appendJsonl('steps.jsonl', { step: 2 });
    expect(existsSync(join(base, 'steps.jsonl'))).toBe(false);
    dir.close();
    const lines = readFileSync(join(base, 'steps.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ step: 1 }, { step: 2 }]);
  });

  it('flushes a JSONL buffer by itself once it holds 500 rows', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    for (let i = 0; i < 500; i++) dir.appendJsonl('steps.jsonl', { i });
    expect(readFileSync(join(base, 'steps.jsonl'), 'utf8').trim().split('\n')).toHaveLength(500);
  });

  it('replaces an older JSONL file on the first write, then appends across flushes', () => {
    writeFileSync(join(base, 'steps.jsonl'), '{"old":true}\n');
    const dir = createRunDir({ out: base, prefix: 'x' });
    dir.appendJsonl('steps.jsonl', { step: 1 });
    dir.flush();
    dir.appendJsonl('steps.jsonl', { step: 2 });
    dir.close();
    expect(readFileSync(join(base, 'steps.jsonl'), 'utf8')).toBe('{"step":1}\n{"step":2}\n');
  });

  it('subdirectories share the buffers, so closing the run flushes them', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    const logs = dir.subdir('logs');
    expect(logs.path).toBe(join(base, 'logs'));
    logs.appendJsonl('episode_1.jsonl', { step: 1 });
    dir.close();
    expect(readFileSync(join(base, 'logs', 'episode_1.jsonl'), 'utf8')).toBe('{"step":1}\n');
  });

  it('writes CSV with a header from the union of keys and RFC 4180 quoting', () => {
    const dir = createRunDir({ out: base, prefix: 'x' });
    dir.writeCsv('t.csv', [{ a: 1, b: 'x,y' }, { a: 2, c: 'say "hi"' }, { b: null }]);
    expect(readFileSync(join(base, 't.csv'), 'utf8')).toBe('a,b,c\n1,"x,y",\n2,,"say ""hi"""\n,,\n');
    expect(toCsv([{ a: 1, b: 2 }], ['b'])).toBe('b\n2\n');
  });
});

describe('writeRunMetadata', () => {
  it('writes the resolved config and run.json with version, command line, seed and config hash', () => {
    const config = loadConfig(join(import.meta.dirname, '../../../configuration.yml'));
    const dir = createRunDir({ out: join(base, 'run'), prefix: 'x' });
    const started = new Date(Date.UTC(2025, 0, 1));
    const meta = writeRunMetadata(dir, {
      command: 'compare-policies',
      config,
      seed: 42,
      argv: ['--episodes', '3'],
      startedAt: started,
      extra: { backend: 'sim' },
    });
    const run = JSON.parse(readFileSync(join(dir.path, 'run.json'), 'utf8'));
    expect(run).toEqual(meta);
    expect(run).toMatchObject({
      format_version: RUN_FORMAT_VERSION,
      command: 'compare-policies',
      argv: ['--episodes', '3'],
      seed: 42,
      config_hash: configHash(config),
      started_at: '2025-01-01T00:00:00.000Z',
      backend: 'sim',
    });
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
    expect(run.autofarm_version).toBe(pkg.version);
    expect(autofarmVersion()).toBe(pkg.version);
    expect(JSON.parse(readFileSync(join(dir.path, 'config.resolved.json'), 'utf8'))).toEqual(config);
  });

  it('keeps its own fields when extra tries to overwrite them', () => {
    const config = loadConfig(join(import.meta.dirname, '../../../configuration.yml'));
    mkdirSync(join(base, 'r'));
    const meta = writeRunMetadata(createRunDir({ out: join(base, 'r'), prefix: 'x' }), {
      command: 'c',
      config,
      seed: 1,
      argv: [],
      extra: { seed: 999 },
    });
    expect(meta.seed).toBe(1);
  });
});
