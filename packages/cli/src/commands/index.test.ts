import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';

const rootPackage = new URL('../../../../package.json', import.meta.url).pathname;

describe('the command list', () => {
  it('has a `pnpm <command>` script for every command, as the README promises', () => {
    const scripts = (JSON.parse(readFileSync(rootPackage, 'utf8')) as { scripts: Record<string, string> }).scripts;
    const names = buildProgram().commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(10);
    const missing = names.filter((n) => scripts[n] !== `node packages/cli/dist/bin.js ${n}`);
    expect(missing).toEqual([]);
  });
});
