/**
 * The built CLI (packages/cli/dist/bin.js, so `pnpm build` first) run as a child process the way
 * a user runs it, quiet (CI=true, no progress bars), timed by the wall clock: what the training
 * and acceptance benchmarks measure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** Runs `autofarm <args>`; throws with the tail of stderr on a non-zero exit. `node` are node's own flags (e.g. --expose-gc). */
export function runCli(args: readonly string[], node: readonly string[] = []): { stdout: string; wallSeconds: number } {
  const t0 = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...node, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    maxBuffer: 1 << 26,
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (child.status !== 0) throw new Error(`autofarm ${args.join(' ')} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return { stdout: child.stdout, wallSeconds };
}
