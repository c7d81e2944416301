import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '@autofarm/farm/testing';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';

const autoscale = (...args: string[]) => main(['node', 'autofarm', 'autoscale', '--config', SHIPPED_CONFIG, ...args]);

describe('autofarm autoscale: bad input is one line and exit 2', () => {
  const io = captureOutput();
  const oneLine = () => {
    expect(io.err.trim().split('\n')).toHaveLength(1);
    return io.err;
  };

  it('an unknown policy, naming the valid ones', async () => {
    expect(await autoscale('--policy', 'magic', '--backend', 'local')).toBe(2);
    expect(oneLine()).toMatch(/--policy: unknown policy "magic"; valid names: .*kpa.*sarsa/);
  });

  it('a policy that reads the future', async () => {
    expect(await autoscale('--policy', 'oracle', '--backend', 'local')).toBe(2);
    expect(oneLine()).toContain('cannot run on a live farm');
  });

  it('a missing model file, and sarsa without one', async () => {
    expect(await autoscale('--policy', 'sarsa', '--model', '/nonexistent/model.json', '--backend', 'local')).toBe(2);
    expect(oneLine()).toContain('--model');
    io.err = '';
    expect(await autoscale('--policy', 'sarsa', '--backend', 'local')).toBe(2);
    expect(oneLine()).toContain('--policy sarsa needs --model FILE');
  });

  it('a corrupt model file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autoscale-')), 'model.json');
    writeFileSync(file, '{ not json');
    expect(await autoscale('--policy', 'sarsa', '--model', file, '--backend', 'local')).toBe(2);
    expect(io.err).toContain(file);
  });

  it('the sim backend, which is no live farm', async () => {
    expect(await autoscale('--policy', 'kpa')).toBe(2);
    expect(oneLine()).toContain('--backend: autoscale drives a live farm');
  });

  it('an unreachable Redis, naming where it looked', async () => {
    const port = await freePort();
    expect(await autoscale('--policy', 'kpa', '--backend', 'local', '--redis', `127.0.0.1:${port}`, '--port', '0')).toBe(2);
    expect(oneLine()).toContain(`cannot reach the local farm's Redis at 127.0.0.1:${port}`);
  });

  it('a metrics port in use', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      expect(await autoscale('--policy', 'kpa', '--backend', 'local', '--port', String(port))).toBe(2);
      expect(oneLine()).toContain(`--port: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });

  it('a decision log that cannot be written', async () => {
    expect(await autoscale('--policy', 'kpa', '--backend', 'local', '--port', '0', '--log', '/nonexistent/dir/decisions.jsonl')).toBe(2);
    expect(oneLine()).toContain('--log: cannot append to /nonexistent/dir/decisions.jsonl (ENOENT)');
  });

  it('a malformed --redis', async () => {
    expect(await autoscale('--policy', 'kpa', '--backend', 'local', '--redis', 'localhost')).toBe(2);
    expect(oneLine()).toContain('--redis: expected HOST:PORT');
  });
});

describe('autofarm load', () => {
  const io = captureOutput();
  it('refuses the sim backend in one line', async () => {
    expect(await main(['node', 'autofarm', 'load', '--config', SHIPPED_CONFIG])).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain('--backend: load runs a live farm');
  });
});
