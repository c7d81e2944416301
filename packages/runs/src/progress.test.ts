import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatField, progressMode, type ProgressStream } from './progress.js';

function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, columns, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

/** A clock the test advances by hand. */
function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

afterEach(() => vi.restoreAllMocks());

describe('progressMode', () => {
  it('draws a bar on a terminal, prints lines on a pipe and stays quiet in CI', () => {
    expect(progressMode({ write: () => 0, isTTY: true }, { CI: 'true' })).toBe('bar');
    expect(progressMode({ write: () => 0 }, {})).toBe('lines');
    expect(progressMode({ write: () => 0 }, { CI: 'true' })).toBe('quiet');
    expect(progressMode({ write: () => 0 }, { CI: '1' })).toBe('quiet');
    expect(progressMode({ write: () => 0 }, { CI: 'false' })).toBe('lines');
  });
});

describe('createProgress', () => {
  it('never writes to stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    for (const mode of ['bar', 'lines', 'quiet'] as const) {
      const p = createProgress({ total: 3, mode, stream: fakeStream(mode === 'bar') });
      p.increment({ qos: 0.9 });
      p.log('hello');
      p.stop();
    }
    expect(stdout).not.toHaveBeenCalled();
  });

  it('redraws the bar in place with counters and custom fields and ends on a new line', () => {
    const s = fakeStream(true, 200);
    const c = clock();
    const p = createProgress({ total: 4, label: 'train', stream: s, now: c.now });
    expect(p.mode).toBe('bar');
    c.advance(1000);
    p.update(1, { return: -12.3456, qos: '97.1%' });
    c.advance(1000);
    p.update(2, { return: -10, qos: '98.0%' });
    p.stop();
    const text = s.text();
    expect(text).toContain('\r\x1b[2Ktrain [');
    expect(text).toContain(' 25% 1/4 | ETA 3s | return=-12.35 qos=97.1%');
    expect(text).toContain(' 50% 2/4 | ETA 2s | return=-10 qos=98.0%');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('redraws a terminal bar at most every 100 ms', () => {
    const s = fakeStream(true);
    const c = clock();
    const p = createProgress({ total: 1000, stream: s, now: c.now });
    for (let i = 1; i <= 50; i++) p.update(i);
    expect(s.text().split('\r').length - 1).toBe(1);
    c.advance(100);
    p.update(51);
    expect(s.text().split('\r').length - 1).toBe(2);
  });

  it('cuts the bar line to the terminal width', () => {
    const s = fakeStream(true, 40);
    const p = createProgress({ total: 2, stream: s, mode: 'bar', label: 'a-long-label' });
    p.update(1, { field: 'x'.repeat(100) });
    const line = s.text().split('\x1b[2K').at(-1) ?? '';
    expect(line.length).toBeLessThanOrEqual(39);
  });

  it('keeps log messages on their own line and redraws the bar after them', () => {
    const s = fakeStream(true);
    const p = createProgress({ total: 2, stream: s });
    p.update(1);
    p.log('checkpoint saved');
    expect(s.text()).toMatch(/\r\x1b\[2Kcheckpoint saved\n\r\x1b\[2K\[/);
  });

  it('prints a line at every 10 % in lines mode, and one final line', () => {
    const s = fakeStream(false);
    const c = clock();
    const p = createProgress({ total: 100, stream: s, env: {}, now: c.now });
    expect(p.mode).toBe('lines');
    for (let i = 1; i <= 100; i++) {
      c.advance(10);
      p.update(i, { qos: i / 100 });
    }
    p.stop();
    const lines = s.text().trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^10\/100 \(10%\) elapsed 0s ETA 1s \| qos=0\.1$/);
    expect(lines.at(-1)).toMatch(/^100\/100 \(100%\) in 1s \| qos=1$/);
  });

  it('prints in lines mode when a slow step takes longer than everySeconds', () => {
    const s = fakeStream(false);
    const c = clock();
    const p = createProgress({ total: 1000, stream: s, env: {}, now: c.now, everySeconds: 5 });
    p.update(1);
    c.advance(4000);
    p.update(2);
    expect(s.text()).toBe('');
    c.advance(1500);
    p.update(3);
    expect(s.text()).toMatch(/^3\/1000 \(0%\) elapsed 6s/);
  });

  it('stays silent in CI except for explicit log messages', () => {
    const s = fakeStream(false);
    const p = createProgress({ total: 10, stream: s, env: { CI: 'true' } });
    expect(p.mode).toBe('quiet');
    for (let i = 1; i <= 10; i++) p.update(i);
    p.stop();
    expect(s.text()).toBe('');
    p.log('done');
    expect(s.text()).toBe('done\n');
  });

  it('ignores updates after stop', () => {
    const s = fakeStream(false);
    const p = createProgress({ total: 2, stream: s, env: {} });
    p.stop();
    const before = s.text();
    p.update(2);
    p.stop();
    expect(s.text()).toBe(before);
  });
});

describe('formatField', () => {
  it('prints integers as they are and other numbers with four significant digits', () => {
    expect(formatField(12)).toBe('12');
    expect(formatField(0.97123)).toBe('0.9712');
    expect(formatField(-123.456)).toBe('-123.5');
    expect(formatField('97%')).toBe('97%');
    expect(formatField(Number.NaN)).toBe('NaN');
  });
});
