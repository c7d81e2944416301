import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..');

/** Every file reachable from `entry` through relative imports (static and dynamic). */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
    reachable(join(dirname(entry), (m[1] as string).replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('@autofarm/agents entry point', () => {
  it('never reaches TensorFlow.js or the dqn/ folder (tfjs loads only through @autofarm/agents/dqn)', () => {
    const files = [...reachable(join(src, 'index.ts'))];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      expect(file.includes(`${join(src, 'dqn')}/`), file).toBe(false);
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/['"]@tensorflow\//);
    }
  });
});
