/**
 * Runs one farm role as its own process:
 *
 *   AUTOFARM_FARM_SETTINGS='{"role":"worker","id":"w-1",...}' node dist/process-main.js
 *   node dist/process-main.js --settings-file settings.json
 *
 * The settings (RoleSettings: role, id, episode id, seed, clock origin, resolved config, Redis
 * target) are JSON so any launcher can produce them. With an IPC channel (child_process.fork)
 * the loop's events go to the parent and the process exits when the parent goes away; SIGTERM
 * and SIGINT stop the loop. Exit code 0 when the loop ended normally, 1 on an unexpected error.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '@autofarm/core';
import { createClock } from './clock.js';
import { runCollector } from './collector.js';
import { runEmitter } from './emitter.js';
import type { FarmEvent } from './events.js';
import { redisFactory } from './redis.js';
import { parseRoleSettings, type RoleSettings } from './settings.js';
import { runWorker } from './worker.js';

function readSettings(argv: string[]): RoleSettings {
  const at = argv.indexOf('--settings-file');
  const text = at >= 0 && argv[at + 1] ? readFileSync(argv[at + 1] as string, 'utf8') : process.env.AUTOFARM_FARM_SETTINGS;
  if (!text) throw new Error('no settings: pass --settings-file FILE or set AUTOFARM_FARM_SETTINGS');
  return parseRoleSettings(text);
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2));
  const config = parseConfig(settings.config, 'AUTOFARM_FARM_SETTINGS');
  const clock = createClock(settings.clock);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Forked by a backend: die with it.
  process.once('disconnect', stop);
  const send = (message: unknown) =>
    new Promise<void>((resolve) => {
      if (!process.connected || !process.send) return resolve();
      process.send(message, undefined, {}, () => resolve());
    });
  const onEvent = (event: FarmEvent) => {
    if (event.type === 'error') process.stderr.write(`[${settings.role} ${settings.id}] ${event.message}\n`);
    void send({ kind: 'event', event });
  };
  const redis = redisFactory(settings.redis);
  const common = { redis, clock, signal: abort.signal, hooks: { onEvent }, episodeId: settings.episodeId };
  let exit: unknown;
  switch (settings.role) {
    case 'worker':
      exit = await runWorker({ ...common, config, workerId: settings.id, ...(settings.heartbeat ? { heartbeat: settings.heartbeat } : {}) });
      break;
    case 'emitter':
      exit = await runEmitter({ ...common, config, seed: settings.seed, emitterId: settings.id });
      break;
    case 'collector':
      exit = await runCollector({ ...common, config, collectorId: settings.id, ...(settings.heartbeat ? { reaper: settings.heartbeat } : {}) });
      break;
  }
  await send({ kind: 'exit', exit });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Open handles (a reconnect timer) must not keep a finished role alive.
    setTimeout(() => process.exit(code), 200).unref();
    if (process.connected) process.disconnect();
  },
  (error: unknown) => {
    process.stderr.write(`autofarm farm process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
