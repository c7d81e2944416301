/**
 * Tests that spawn role processes run the compiled farm (dist/process-main.js): Node 20 cannot
 * run the TypeScript sources in a child. This rebuilds the farm (and what it references) when
 * dist is missing or older than any source it is built from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processMainPath } from '../spawn.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale(pkg: string): boolean {
  const info = join(repoRoot, pkg, 'dist/.tsbuildinfo');
  return !existsSync(info) || statSync(info).mtimeMs < newestSource(join(repoRoot, pkg, 'src'));
}

export function ensureFarmBuilt(): void {
  if (existsSync(processMainPath()) && !['packages/core', 'packages/workload', 'packages/farm'].some(stale)) return;
  execFileSync('pnpm', ['exec', 'tsc', '-b', 'packages/farm'], { cwd: repoRoot, stdio: 'inherit' });
}
