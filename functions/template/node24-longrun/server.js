// @ts-check
/**
 * Runtime of the node24-longrun template: one process per pod that
 *
 * - starts the handler's `run(ctx)` loop as soon as the container starts, and keeps it going:
 *   a loop that throws is restarted after a back-off (1 s, 2 s, 4 s ... capped), a loop that
 *   returns is restarted after `restart_delay` (a worker that acknowledged a scale-down and was
 *   not removed in time rejoins the farm instead of idling forever);
 * - answers HTTP on 127.0.0.1:`http_port` (of-watchdog in HTTP mode proxies to it) with the
 *   handler's `handle(event, ctx)`, and `GET /_/status` with the loop's state;
 * - stops gracefully: `ctx.signal` aborts, the loop gets `shutdown_timeout` to finish its
 *   current piece of work, then the process exits 0.
 *
 * Shutdown has two triggers, whichever comes first. SIGTERM (index.js): Kubernetes signals PID 1,
 * the watchdog, and of-watchdog 0.11.5 forwards SIGTERM to this process (as issue 19 found in
 * its source; earlier comments here said it did not). The watchdog also removes its lock file
 * /tmp/.lock, waits `healthcheck_interval` and exits, so "the lock file existed and is gone"
 * stops us too, in case a watchdog version does not forward the signal. With
 * healthcheck_interval 10 s and shutdown_timeout 8 s the loop has 8 s to finish (a task takes at
 * most 2.9 s, reference §4.4).
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/**
 * Seconds in a Go-style duration ("12h", "1m30s", "250ms") or a plain number of seconds.
 * @param {string | undefined} text
 * @param {number} fallback
 */
export function parseDuration(text, fallback) {
  if (text === undefined || text.trim() === '') return fallback;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = t;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return fallback;
    total += Number(m[1]) * unit[/** @type {'h'|'m'|'s'|'ms'} */ (m[2])];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * Settings from the environment (names follow the OpenFaaS node templates where they exist).
 * @param {NodeJS.ProcessEnv} env
 */
export function settingsFromEnv(env) {
  return {
    port: Number(env.http_port ?? 3000),
    host: env.http_host ?? '127.0.0.1',
    maxBodyBytes: Number(env.max_body_bytes ?? 1024 * 1024),
    restartDelay: parseDuration(env.restart_delay, 60),
    maxBackoff: parseDuration(env.max_restart_backoff, 30),
    shutdownTimeout: parseDuration(env.shutdown_timeout, 8),
    lockFile: env.lock_file ?? join(tmpdir(), '.lock'),
    watchLockFile: env.watch_lock_file !== 'false',
    runOnStart: env.run_on_start !== 'false',
    secretsDir: env.secrets_dir ?? '/var/openfaas/secrets',
    podName: env.HOSTNAME ?? 'local',
    logLevel: (env.LOG_LEVEL ?? 'INFO').toUpperCase(),
  };
}

/** @typedef {ReturnType<typeof settingsFromEnv>} Settings */

/**
 * @typedef {object} Handler
 * @property {(ctx: FunctionContext) => Promise<void>} [run]
 * @property {(event: FunctionEvent, ctx: FunctionContext) => unknown} [handle]
 * @property {() => Record<string, unknown>} [status]
 */

/**
 * @typedef {object} FunctionContext
 * @property {string} podName
 * @property {AbortSignal} signal  aborted when the pod is shutting down
 * @property {NodeJS.ProcessEnv} env
 * @property {(level: string, message: string) => void} log
 * @property {(name: string) => string | undefined} secret  an OpenFaaS secret's value, if mounted
 */

/**
 * @typedef {object} FunctionEvent
 * @property {unknown} body  parsed JSON, text, or a Buffer
 * @property {Buffer} rawBody
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 */

/** @param {string} minimum */
function makeLogger(minimum) {
  const floor = Math.max(0, LEVELS.indexOf(minimum));
  /** @param {string} level @param {string} message */
  return (level, message) => {
    const l = level.toUpperCase();
    if (LEVELS.indexOf(l) >= floor) process.stdout.write(`[${l}] ${message}\n`);
  };
}

/** @param {AbortSignal} signal @param {number} seconds */
function sleep(seconds, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const timer = setTimeout(done, seconds * 1000);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(undefined);
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer>}
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error(`request body larger than ${limit} bytes`), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
  /** @type {string | Buffer} */
  let payload = '';
  const h = { ...headers };
  if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
  else if (body !== undefined && body !== null) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  res.writeHead(status, h);
  res.end(payload);
}

/**
 * The handler's return value as an HTTP answer: nothing -> 200 empty; an object with
 * `statusCode` / `body` / `headers` -> those; anything else -> 200 with it as the body.
 * @param {unknown} result
 * @returns {{ status: number, body: unknown, headers: Record<string, string> }}
 */
export function toResponse(result) {
  if (result === undefined || result === null) return { status: 200, body: '', headers: {} };
  if (typeof result === 'object' && !Buffer.isBuffer(result) && ('statusCode' in result || 'body' in result)) {
    const r = /** @type {{ statusCode?: number, body?: unknown, headers?: Record<string, string> }} */ (result);
    return { status: r.statusCode ?? 200, body: r.body ?? '', headers: r.headers ?? {} };
  }
  return { status: 200, body: result, headers: {} };
}

/**
 * Start the function: HTTP server, and the run loop unless `runOnStart` is false.
 * @param {Handler} handler
 * @param {Settings} settings
 */
export async function startFunction(handler, settings) {
  const log = makeLogger(settings.logLevel);
  const controller = new AbortController();
  const started = Date.now();
  const state = {
    running: false,
    starts: 0,
    lastExit: /** @type {string | null} */ (null),
    lastError: /** @type {string | null} */ (null),
  };

  /** @type {FunctionContext} */
  const ctx = {
    podName: settings.podName,
    signal: controller.signal,
    env: process.env,
    log,
    secret: (name) => {
      try {
        return readFileSync(join(settings.secretsDir, name), 'utf8').trim();
      } catch {
        return undefined;
      }
    },
  };

  const status = () => ({
    pod: settings.podName,
    uptime: (Date.now() - started) / 1000,
    stopping: controller.signal.aborted,
    run: { ...state, present: typeof handler.run === 'function' },
    handler: handler.status?.() ?? {},
  });

  async function supervise() {
    const run = handler.run;
    if (!run) return;
    let failures = 0;
    while (!controller.signal.aborted) {
      state.running = true;
      state.starts += 1;
      let delay;
      try {
        await run(ctx);
        failures = 0;
        state.lastExit = 'returned';
        delay = settings.restartDelay;
      } catch (error) {
        failures += 1;
        state.lastExit = 'threw';
        state.lastError = error instanceof Error ? error.message : String(error);
        log('ERROR', `run loop failed (${failures} in a row): ${state.lastError}`);
        delay = Math.min(2 ** (failures - 1), settings.maxBackoff);
      }
      state.running = false;
      if (controller.signal.aborted) break;
      log('INFO', `run loop ended (${state.lastExit}); restarting in ${delay} s`);
      await sleep(delay, controller.signal);
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://function');
    try {
      if (url.pathname === '/_/status' && req.method === 'GET') return send(res, 200, status());
      const rawBody = await readBody(req, settings.maxBodyBytes);
      if (!handler.handle) {
        return req.method === 'GET'
          ? send(res, 200, status())
          : send(res, 405, 'this function has no HTTP handler; GET returns its status\n', { allow: 'GET' });
      }
      const type = String(req.headers['content-type'] ?? '');
      let body = /** @type {unknown} */ (rawBody);
      if (type.includes('json') && rawBody.length > 0) {
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch (error) {
          return send(res, 400, `invalid JSON body: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      } else if (type.startsWith('text/') || type === '') body = rawBody.toString('utf8');
      /** @type {FunctionEvent} */
      const event = {
        body,
        rawBody,
        headers: req.headers,
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
      };
      const r = toResponse(await handler.handle(event, ctx));
      return send(res, r.status, r.body, r.headers);
    } catch (error) {
      const status = /** @type {{ status?: number }} */ (error).status ?? 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) log('ERROR', `request ${req.method} ${url.pathname} failed: ${message}`);
      if (!res.headersSent) send(res, status, `${message}\n`);
    }
  });
  // Invocations may run for hours (the original allowed 12 h): no per-request deadline here;
  // of-watchdog's exec_timeout / write_timeout bound them.
  server.requestTimeout = 0;
  server.timeout = 0;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  log('INFO', `listening on ${settings.host}:${port}; pod ${settings.podName}`);

  const loop = settings.runOnStart ? supervise() : Promise.resolve();

  // Armed once the lock file has been seen: the watchdog writes it only after starting us.
  let lockSeen = existsSync(settings.lockFile);
  if (settings.watchLockFile) {
    watchFile(settings.lockFile, { interval: 250, persistent: false }, (current) => {
      const present = current.nlink > 0 || current.mtimeMs > 0;
      if (present) lockSeen = true;
      else if (lockSeen) void stop('the watchdog removed its lock file (SIGTERM)');
    });
  }

  /** @type {(value: void) => void} */
  let markStopped = () => undefined;
  /** Resolves once the function has stopped (by `stop()` or the lock-file trigger). */
  const stopped = new Promise((resolve) => {
    markStopped = resolve;
  });
  /** @type {Promise<void> | undefined} */
  let stopping;
  /** @param {string} reason */
  function stop(reason) {
    stopping ??= (async () => {
      log('INFO', `stopping: ${reason}`);
      controller.abort();
      unwatchFile(settings.lockFile);
      let timer;
      const finished = await Promise.race([
        loop.then(() => true),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(false), settings.shutdownTimeout * 1000);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) log('WARNING', `run loop still busy after ${settings.shutdownTimeout} s; exiting anyway`);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      markStopped();
    })();
    return stopping;
  }

  return { port, status, stop, loop, stopped };
}
