/**
 * A private redis-server on a free loopback port: the local backend's Redis when
 * configuration.yml names no Redis host (and the integration tests' too). Append-only
 * persistence is on by default, so a `kill()` followed by `restart()` on the same directory
 * keeps every write that was fsynced (appendfsync `always`: every acknowledged write;
 * `everysec`: all but the last ~1 s).
 *
 * Invariant: a started server is stopped when `stop()` is called, and also when this process
 * exits (an `exit` hook SIGKILLs servers still running); if the owner is SIGKILLed, a watchdog
 * process kills the server within a second. No server outlives its owner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /** redis-server binary (default `redis-server` on PATH). */
  bin?: string;
  /** Port to listen on; default: a free loopback port. */
  port?: number;
  /** Append-only file on (default true). */
  appendonly?: boolean;
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Data directory (default: a new temporary directory, removed by `stop()`). */
  dir?: string;
  password?: string | null;
  /** Milliseconds to wait for "Ready to accept connections" (default 10 000). */
  startTimeoutMs?: number;
}

export interface RedisServerHandle {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** PID of the running server, undefined while it is down. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGKILL the server (a crash): nothing is flushed beyond what the fsync policy already wrote. */
  kill(): Promise<void>;
  /** Start the server again on the same port and data directory (it reloads the AOF). */
  restart(): Promise<void>;
  /** Shut the server down and remove its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A port the kernel just handed out on 127.0.0.1 (free at that instant). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(bin: string, args: string[], timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const done = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        live.add(child);
        child.once('exit', () => live.delete(child));
        if (child.pid !== undefined) watch(child.pid);
        resolve(child);
      }
    };
    const timer = setTimeout(
      () => done(new Error(`redis-server did not become ready within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) done(null);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => done(new Error(`cannot start ${bin}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      done(new Error(`redis-server exited (${signal ?? `code ${String(code)}`}) before it was ready:\n${output.slice(-2000)}`)),
    );
  });
}

/**
 * A watchdog for the case no hook can cover, the owner being SIGKILLed: a tiny process that
 * checks every second whether the owner is alive and SIGKILLs the server if not. It exits by
 * itself as soon as the server is gone.
 */
function watch(serverPid: number): void {
  const code = `const [o, r] = process.argv.slice(1).map(Number);
setInterval(() => {
  try { process.kill(r, 0); } catch { process.exit(0); }
  try { process.kill(o, 0); } catch { try { process.kill(r, 'SIGKILL'); } catch {} process.exit(0); }
}, 1000);`;
  const dog = spawn(process.execPath, ['-e', code, String(process.pid), String(serverPid)], { stdio: 'ignore' });
  dog.unref();
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  installExitHook();
  const bin = options.bin ?? 'redis-server';
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'autofarm-redis-'));
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const argsFor = (port: number) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', ''];
    args.push('--appendonly', options.appendonly === false ? 'no' : 'yes', '--appendfsync', options.appendfsync ?? 'everysec');
    if (options.password) args.push('--requirepass', options.password);
    return args;
  };

  let port = options.port ?? 0;
  let child: ChildProcess | undefined;
  // A free port can be taken between the probe and the bind; try a few (5 is plenty).
  for (let attempt = 0; child === undefined; attempt++) {
    const candidate = options.port ?? (await freePort());
    try {
      child = await launch(bin, argsFor(candidate), timeoutMs);
      port = candidate;
    } catch (error) {
      if (options.port !== undefined || attempt >= 4 || !String(error).includes('Address already in use')) {
        if (ownDir) rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ChildProcess | undefined = child;
  let stopped = false;

  return {
    host: '127.0.0.1',
    port,
    dir,
    get pid() {
      return current?.pid;
    },
    get running() {
      return current !== undefined && current.exitCode === null && current.signalCode === null;
    },
    async kill() {
      if (!current) return;
      const c = current;
      current = undefined;
      c.kill('SIGKILL');
      await waitExit(c);
    },
    async restart() {
      if (stopped) throw new Error('redis-server handle already stopped');
      if (current) {
        const c = current;
        current = undefined;
        c.kill('SIGKILL');
        await waitExit(c);
      }
      current = await launch(bin, argsFor(port), timeoutMs);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (current) {
        const c = current;
        current = undefined;
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
        await waitExit(c);
        clearTimeout(timer);
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
