import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS runtime of the template (checked with tsc --checkJs, not part of tsc -b)
import { parseDuration, settingsFromEnv, startFunction, toResponse } from './server.js';

const here = fileURLToPath(new URL('.', import.meta.url));
type Fn = Awaited<ReturnType<typeof startFunction>>;
const running: Fn[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop('test over')));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'longrun-'));
  dirs.push(d);
  return d;
}

async function start(handler: object, env: Record<string, string> = {}): Promise<Fn> {
  const settings = { ...settingsFromEnv({ http_port: '0', LOG_LEVEL: 'ERROR', lock_file: join(tempDir(), '.lock'), ...env }) };
  const fn = await startFunction(handler, settings);
  running.push(fn);
  return fn;
}

const until = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('parseDuration', () => {
  it('reads Go-style durations and plain seconds', () => {
    expect(parseDuration('12h', 0)).toBe(43_200);
    expect(parseDuration('1m30s', 0)).toBe(90);
    expect(parseDuration('250ms', 0)).toBeCloseTo(0.25);
    expect(parseDuration('8', 0)).toBe(8);
    expect(parseDuration(undefined, 7)).toBe(7);
    expect(parseDuration('soon', 7)).toBe(7);
  });
});

describe('toResponse', () => {
  it('maps nothing, response objects and plain values to HTTP answers', () => {
    expect(toResponse(undefined)).toEqual({ status: 200, body: '', headers: {} });
    expect(toResponse({ statusCode: 400, body: { error: 'x' } })).toEqual({ status: 400, body: { error: 'x' }, headers: {} });
    expect(toResponse({ body: 'ok', headers: { a: 'b' } })).toEqual({ status: 200, body: 'ok', headers: { a: 'b' } });
    expect(toResponse({ n: 1 })).toEqual({ status: 200, body: { n: 1 }, headers: {} });
  });
});

describe('the template runtime', () => {
  it('starts the run loop at boot and passes JSON invocations to handle()', async () => {
    let beats = 0;
    const fn = await start({
      run: async (ctx: { signal: AbortSignal }) => {
        while (!ctx.signal.aborted) {
          beats++;
          await new Promise((r) => setTimeout(r, 5));
        }
      },
      handle: (event: { body: unknown; method: string; path: string; query: object }, ctx: { podName: string }) => ({
        statusCode: 201,
        body: { got: event.body, method: event.method, path: event.path, query: event.query, pod: ctx.podName },
      }),
    });
    await until(() => beats > 2);
    const res = await fetch(`http://127.0.0.1:${fn.port}/some/path?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ got: { a: 1 }, method: 'POST', path: '/some/path', query: { x: '1' }, pod: 'local' });
    const status = await (await fetch(`http://127.0.0.1:${fn.port}/_/status`)).json();
    expect(status.run).toMatchObject({ running: true, starts: 1, present: true });
  });

  it('answers 400 to a body that is not JSON and 413 to one over the limit', async () => {
    const fn = await start({ handle: () => 'fine' }, { max_body_bytes: '64' });
    const bad = await fetch(`http://127.0.0.1:${fn.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/invalid JSON/);
    const big = await fetch(`http://127.0.0.1:${fn.port}/`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(200),
    }).catch(() => null);
    if (big) expect(big.status).toBe(413);
    const ok = await fetch(`http://127.0.0.1:${fn.port}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(await ok.text()).toBe('fine');
  });

  it('answers 500 with the message when handle() throws, and keeps serving', async () => {
    let n = 0;
    const fn = await start({
      handle: () => {
        n++;
        if (n === 1) throw new Error('boom');
        return { body: 'again' };
      },
    });
    const first = await fetch(`http://127.0.0.1:${fn.port}/`);
    expect(first.status).toBe(500);
    expect(await first.text()).toMatch(/boom/);
    expect(await (await fetch(`http://127.0.0.1:${fn.port}/`)).text()).toBe('again');
  });

  it('without handle() answers GET with the status and refuses other methods', async () => {
    const fn = await start({ run: async () => undefined, status: () => ({ custom: 42 }) }, { restart_delay: '60' });
    const got = await (await fetch(`http://127.0.0.1:${fn.port}/`)).json();
    expect(got.handler).toEqual({ custom: 42 });
    const post = await fetch(`http://127.0.0.1:${fn.port}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('restarts a loop that throws, with a growing back-off', async () => {
    const starts: number[] = [];
    const fn = await start(
      {
        run: async () => {
          starts.push(Date.now());
          throw new Error('redis went away');
        },
      },
      { max_restart_backoff: '0.2' },
    );
    await until(() => starts.length >= 3);
    expect(fn.status().run.lastError).toBe('redis went away');
    // 1 s back-off capped at 0.2 s: the gaps are about 0.2 s, not immediate.
    expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(150);
  });

  it('restarts a loop that returns after restart_delay (a worker that was not removed rejoins)', async () => {
    let starts = 0;
    const fn = await start({ run: async () => void starts++ }, { restart_delay: '0.05' });
    await until(() => starts >= 3);
    expect(fn.status().run.lastExit).toBe('returned');
  });

  it('stops gracefully when the watchdog removes its lock file, letting the loop finish its task', async () => {
    const dir = tempDir();
    const lock = join(dir, '.lock');
    writeFileSync(lock, '');
    let finishedTask = false;
    const fn = await start(
      {
        run: async (ctx: { signal: AbortSignal }) => {
          await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
          // The current task takes another 150 ms after the stop request.
          await new Promise((r) => setTimeout(r, 150));
          finishedTask = true;
        },
      },
      { lock_file: lock },
    );
    rmSync(lock);
    await fn.stopped;
    expect(finishedTask).toBe(true);
    expect(fn.status().stopping).toBe(true);
  });

  it('gives up waiting for a stuck loop after shutdown_timeout', async () => {
    const fn = await start({ run: () => new Promise(() => undefined) }, { shutdown_timeout: '0.2' });
    const t0 = Date.now();
    await fn.stop('test');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reads OpenFaaS secrets from the secrets directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'redis-password'), 's3cret\n');
    const fn = await start(
      {
        handle: (_e: unknown, ctx: { secret(n: string): string | undefined }) => ({
          body: { pw: ctx.secret('redis-password') ?? null, none: ctx.secret('missing') ?? null },
        }),
      },
      { secrets_dir: dir },
    );
    expect(await (await fetch(`http://127.0.0.1:${fn.port}/`)).json()).toEqual({ pw: 's3cret', none: null });
  });
});

describe('index.js (the fprocess)', () => {
  it('serves the handler and exits 0 on SIGTERM after the loop stops', async () => {
    const dir = tempDir();
    const handlerFile = join(dir, 'handler.mjs');
    writeFileSync(
      handlerFile,
      `export async function run(ctx) { await new Promise((r) => ctx.signal.addEventListener('abort', ` +
        `r)); }\nexport function handle() { return { body: 'pong' }; }\n`,
    );
    const child = spawn(process.execPath, [join(here, 'index.js')], {
      env: { ...process.env, handler_module: handlerFile, http_port: '0', lock_file: join(dir, '.lock'), HOSTNAME: 'worker-abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => /listening on 127\.0\.0\.1:(\d+)/.test(out));
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('pong');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toMatch(/stopping: SIGTERM received/);
  });
});
