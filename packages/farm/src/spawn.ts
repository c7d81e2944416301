/**
 * Launch a farm role as a child process (process-main) with an IPC channel. Used by the local
 * backend; the child exits when its parent disconnects, and `killAllRoles` (also run when this
 * process exits) SIGKILLs any child still alive, so no role outlives its launcher.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClockSpec } from './clock.js';
import type { FarmEvent } from './events.js';
import type { GoMessage, RoleSettings } from './settings.js';

/**
 * The compiled entry. From source (tests run .ts files through vitest) it is the package's dist
 * build, since a plain `node` child cannot run TypeScript on Node 20.
 */
export function processMainPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dir = /[\\/]src[\\/]$/.test(here) ? here.replace(/src([\\/])$/, 'dist$1') : here;
  return `${dir}process-main.js`;
}

export interface RoleProcess {
  readonly settings: RoleSettings;
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Real time (performance.now(), ms) the process was spawned. */
  readonly spawnedAt: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a process spawned without a clock is connected and waiting for `go` (false if it exited first). */
  readonly standby: Promise<boolean>;
  /** Start the loop of a standby process on `clock`. */
  go(clock: ClockSpec): void;
  /** The last few KB of the child's stderr (for error messages). */
  stderrTail(): string;
  readonly alive: boolean;
}

export interface SpawnRoleOptions {
  onEvent?: (event: FarmEvent, proc: RoleProcess) => void;
  onExit?: (proc: RoleProcess, code: number | null, signal: NodeJS.Signals | null) => void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** SIGKILL every role process this process started that is still running. */
export function killAllRoles(): void {
  for (const child of live) child.kill('SIGKILL');
}

export function spawnRole(settings: RoleSettings, options: SpawnRoleOptions = {}): RoleProcess {
  const entry = processMainPath();
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the workspace first (pnpm build)`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllRoles);
  }
  const child = fork(entry, [], {
    // Not the parent's flags (vitest and tsx loaders must not leak into the child).
    execArgv: [],
    env: { ...process.env, AUTOFARM_FARM_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', () => {
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  let onStandby: (ok: boolean) => void = () => {};
  const standby = new Promise<boolean>((resolve) => {
    onStandby = resolve;
  });
  void exited.then(() => onStandby(false));
  const proc: RoleProcess = {
    settings,
    child,
    pid: child.pid,
    spawnedAt: performance.now(),
    exited,
    standby,
    go: (clock) => {
      if (child.connected) child.send({ kind: 'go', clock } satisfies GoMessage, () => {});
    },
    stderrTail: () => stderr,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
  };
  child.on('message', (message: { kind?: string; event?: FarmEvent }) => {
    if (message?.kind === 'event' && message.event) options.onEvent?.(message.event, proc);
    else if (message?.kind === 'standby') onStandby(true);
  });
  // A child that died takes its channel with it; a late send must not crash the parent.
  child.on('error', () => {});
  void exited.then(({ code, signal }) => options.onExit?.(proc, code, signal));
  return proc;
}
