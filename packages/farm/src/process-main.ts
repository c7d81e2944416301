/**
 * Runs one farm role as its own process:
 *
 *   AUTOFARM_FARM_SETTINGS='{"role":"worker","id":"w-1",...}' node dist/process-main.js
 *   node dist/process-main.js --settings-file settings.json
 *
 * The settings (RoleSettings: role, id, episode id, seed, clock origin, resolved config, Redis
 * target) are JSON so any launcher can produce them. With an IPC channel (child_process.fork)
 * the loop's events go to the parent and the process exits when the parent goes away; SIGTERM
 * and SIGINT stop the loop. Without a clock in the settings it reports `standby` and waits for
 * the parent's `go`. Exit code 0 when the loop ended normally, 1 on an unexpected error.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '@autofarm/core';
import { createClock, type ClockSpec } from './clock.js';
import { runCollector } from './collector.js';
import { runEmitter } from './emitter.js';
import type { FarmEvent } from './events.js';
import { prewarmedFactory, redisFactory } from './redis.js';
import { clockSpecSchema, parseRoleSettings, type RoleMessage, type RoleSettings } from './settings.js';
import { runWorker } from './worker.js';

function readSettings(argv: string[]): RoleSettings {
  const at = argv.indexOf('--settings-file');
  const text = at >= 0 && argv[at + 1] ? readFileSync(argv[at + 1] as string, 'utf8') : process.env.AUTOFARM_FARM_SETTINGS;
  if (!text) throw new Error('no settings: pass --settings-file FILE or set AUTOFARM_FARM_SETTINGS');
  return parseRoleSettings(text);
}

const send = (message: RoleMessage) =>
  new Promise<void>((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

/** Resolves with the clock of the parent's `go` message, or null if the parent went away or we are stopped. */
function awaitGo(signal: AbortSignal): Promise<ClockSpec | null> {
  return new Promise((resolve) => {
    if (!process.connected || signal.aborted) return resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
    const onMessage = (message: { kind?: string; clock?: unknown }) => {
      if (message?.kind !== 'go') return;
      const clock = clockSpecSchema.safeParse(message.clock);
      if (!clock.success) return;
      process.off('message', onMessage);
      resolve(clock.data);
    };
    process.on('message', onMessage);
    process.once('disconnect', () => resolve(null));
    void send({ kind: 'standby' });
  });
}

/** The connections each loop asks its factory for (see runWorker / runEmitter / runCollector). */
function connectionNames(s: RoleSettings): string[] {
  const own = [`${s.role}:${s.id}`, `${s.role}:${s.id}:control`];
  return s.role === 'collector' ? [...own, 'reaper'] : own;
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2));
  const config = parseConfig(settings.config, 'AUTOFARM_FARM_SETTINGS');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Forked by a backend: die with it.
  process.once('disconnect', stop);
  const base = redisFactory(settings.redis);
  // In standby, open the loop's connections before waiting, so `go` -> ready costs ~1 ms.
  const redis = settings.clock ? base : await prewarmedFactory(base, connectionNames(settings));
  const spec = settings.clock ?? (await awaitGo(abort.signal));
  if (spec === null || abort.signal.aborted) return 0;
  const clock = createClock(spec);
  let sawTask = false;
  const onEvent = (event: FarmEvent) => {
    if (event.type === 'error') process.stderr.write(`[${settings.role} ${settings.id}] ${event.message}\n`);
    // Per-task events stay in the process (every IPC message costs both sides CPU on a busy
    // farm); the parent gets the lifecycle ones and a worker's first task-start.
    if (event.type === 'pushed' || event.type === 'task-done' || event.type === 'collected') return;
    if (event.type === 'task-start') {
      if (sawTask) return;
      sawTask = true;
    }
    void send({ kind: 'event', event });
  };
  const common = { redis, clock, signal: abort.signal, hooks: { onEvent }, episodeId: settings.episodeId };
  let exit: unknown;
  switch (settings.role) {
    case 'worker':
      exit = await runWorker({
        ...common,
        config,
        workerId: settings.id,
        ...(settings.heartbeat ? { heartbeat: settings.heartbeat } : {}),
      });
      break;
    case 'emitter':
      exit = await runEmitter({ ...common, config, seed: settings.seed, emitterId: settings.id });
      break;
    case 'collector':
      exit = await runCollector({
        ...common,
        config,
        collectorId: settings.id,
        ...(settings.heartbeat ? { reaper: settings.heartbeat } : {}),
      });
      break;
  }
  await send({ kind: 'exit', exit });
  return 0;
}

main().then(
  (code) => {
    // Open handles (a reconnect timer) must not keep a finished role alive.
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`autofarm farm process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
