/**
 * `pnpm bench python-bridge`: steps/s through `autofarm serve-env` from Python (one env, an
 * AsyncVectorEnv of 2, autofarm_gym's FarmVectorEnv of 2), median of 3. The measuring is
 * python/autofarm_gym/bench.py, run in python/.venv (bash scripts/setup-python.sh makes it);
 * this passes its JSON on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function run(args: string[]) {
  const python = process.env.AUTOFARM_PYTHON ?? `${root}python/.venv/bin/python`;
  if (!existsSync(python)) throw new Error(`${python} is missing: run bash scripts/setup-python.sh first`);
  // --out '': bench/main.ts writes .bench/python-bridge.json itself.
  const r = spawnSync(python, ['-m', 'autofarm_gym.bench', '--out', '', ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`autofarm_gym.bench exited ${r.status}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown> & { bench: string };
}
