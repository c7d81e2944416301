import { spawn, spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@autofarm/core';
import { runServeEnv } from './serve-env.js';
import { SHIPPED_CONFIG } from '../testing/index.js';

async function serve(flags: Parameters<typeof runServeEnv>[0], requests: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8').on('data', (c: string) => (text += c));
  input.end(requests.map((r) => `${r}\n`).join(''));
  let error: unknown;
  await runServeEnv(flags, { input, output }).catch((e: unknown) => (error = e));
  return {
    lines: text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    error,
  };
}

describe('autofarm serve-env', () => {
  it('serves the configured env with the flags applied until input ends', async () => {
    const { lines, error } = await serve({ config: SHIPPED_CONFIG, maxSteps: 2, initialWorkers: 6 }, [
      '{"op":"reset","seed":4}',
      '{"op":"step","action":1}',
      '{"op":"step","action":1}',
    ]);
    expect(error).toBeUndefined();
    expect(lines[0]).toMatchObject({ type: 'hello', protocol: 1, backend: 'sim', max_steps: 2, config_file: SHIPPED_CONFIG });
    expect(lines[1].observation[4]).toBe(6);
    expect(lines[3]).toMatchObject({ type: 'step', truncated: true });
    expect(lines[3].observation[4]).toBe(8);
  });

  it('writes a fatal error line before failing on a missing configuration file', async () => {
    const { lines, error } = await serve({ config: '/nonexistent/configuration.yml' }, []);
    expect(error).toBeInstanceOf(UsageError);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'error', op: 'start', fatal: true, error: 'UsageError' });
    expect(lines[0].message).toContain('--config /nonexistent/configuration.yml');
  });

  it('as a process: writes only protocol lines on stdout and exits 0 when stdin closes', () => {
    const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'serve-env', '--config', SHIPPED_CONFIG], {
      input: '{"op":"reset","seed":1}\n{"op":"step","action":0}\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['hello', 'reset', 'step']);
  });

  it('as a process: closes the env and exits 0 on SIGINT while stdin is still open', async () => {
    const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'serve-env', '--config', SHIPPED_CONFIG], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.write('{"op":"reset","seed":1}\n');
    while (!out.includes('"type":"reset"')) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
