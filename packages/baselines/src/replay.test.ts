import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileError, UsageError } from '@autofarm/core';
import { describe, expect, it } from 'vitest';
import { loadReplayFile, ReplayPolicy } from './replay.js';
import { makeCtx, makeInfo, makeObservation } from './testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'autofarm-replay-'));
function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const aggregated = {
  agents: {
    Oracle: {
      records: [
        { seed: 1000, actions: [1, 1, 0] },
        { seed: 1001, actions: [-1, 0] },
      ],
      summary: {},
    },
    'Reactive-Average': { records: [{ seed: 42, actions: [-1, -1, -1] }] },
  },
};

describe('ReplayPolicy', () => {
  it('returns the recorded actions in order, then 0', () => {
    const p = new ReplayPolicy([1, -1, 0, 1]);
    const ctx = makeCtx(makeInfo());
    const o = makeObservation();
    expect([1, 2, 3, 4, 5, 6].map(() => p.act(o, ctx))).toEqual([1, -1, 0, 1, 0, 0]);
  });

  it('starts over on reset, so every episode replays the same list', () => {
    const p = new ReplayPolicy([1, -1]);
    const ctx = makeCtx(makeInfo());
    p.act(makeObservation(), ctx);
    p.reset();
    expect(p.act(makeObservation(), ctx)).toBe(1);
  });

  it('clamps a recorded delta to the env limit', () => {
    const p = new ReplayPolicy([3, -5]);
    const ctx = makeCtx(makeInfo(), { maxDelta: 2 });
    expect([p.act(makeObservation(), ctx), p.act(makeObservation(), ctx)]).toEqual([2, -2]);
  });
});

describe('loadReplayFile', () => {
  it('reads a plain JSON list of actions', () => {
    expect(loadReplayFile(write('list.json', [1, 0, -1]))).toEqual({ actions: [1, 0, -1], file: join(dir, 'list.json') });
  });

  it('picks an agent and an episode of an aggregated_results.json, with its seed', () => {
    const file = write('aggregated_results.json', aggregated);
    expect(loadReplayFile(file, { agent: 'oracle', episode: 1 })).toMatchObject({ actions: [-1, 0], agent: 'Oracle', seed: 1001 });
    expect(loadReplayFile(file, { agent: 'reactive_average' })).toMatchObject({ actions: [-1, -1, -1], seed: 42 });
    expect(loadReplayFile(file, { agent: 'Oracle', seed: 1000 }).actions).toEqual([1, 1, 0]);
  });

  it('takes the only agent without being told, and accepts the bare agents mapping', () => {
    const file = write('single.json', { Static: { records: [{ seed: 7, actions: [0, 1] }] } });
    expect(loadReplayFile(file)).toMatchObject({ actions: [0, 1], agent: 'Static', seed: 7 });
  });

  it('says which agents, episodes and seeds exist when the choice is wrong (UsageError)', () => {
    const file = write('aggregated_results.json', aggregated);
    expect(() => loadReplayFile(file)).toThrow(UsageError);
    expect(() => loadReplayFile(file)).toThrow(/Oracle, Reactive-Average/);
    expect(() => loadReplayFile(file, { agent: 'dqn' })).toThrow(/no agent "dqn"; it has: Oracle, Reactive-Average/);
    expect(() => loadReplayFile(file, { agent: 'oracle', episode: 5 })).toThrow(/has 2 episode\(s\); episode 5/);
    expect(() => loadReplayFile(file, { agent: 'oracle', seed: 9 })).toThrow(/no episode with seed 9; its seeds: 1000, 1001/);
  });

  it('rejects unreadable and malformed files with ModelFileError', () => {
    expect(() => loadReplayFile(join(dir, 'missing.json'))).toThrow(ModelFileError);
    expect(() => loadReplayFile(join(dir, 'missing.json'))).toThrow(/cannot read replay file .*ENOENT/);
    expect(() => loadReplayFile(write('bad.json', '[1, 0,'))).toThrow(/not valid JSON/);
    expect(() => loadReplayFile(write('words.json', [1, 'up']))).toThrow(/the list\[1\] is "up", expected an integer worker delta/);
    expect(() => loadReplayFile(write('half.json', [0.5]))).toThrow(ModelFileError);
    expect(() => loadReplayFile(write('number.json', '3'))).toThrow(/expected a JSON list of actions or an aggregated_results.json object/);
    expect(() => loadReplayFile(write('norecords.json', { agents: { A: { records: [] } } }))).toThrow(/agent "A" has no records/);
    expect(() => loadReplayFile(write('noactions.json', { agents: { A: { records: [{ seed: 1 }] } } }))).toThrow(ModelFileError);
  });
});
