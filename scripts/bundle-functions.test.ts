import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script (JSDoc-typed; scripts/ is not part of tsc -b)
import { BUNDLE_DIR, bundleFunction, FUNCTIONS } from './bundle-functions.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'af-bundle-'));
  dirs.push(d);
  return d;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const installedVersion = (fn: string, dep: string) =>
  JSON.parse(readFileSync(join(realpathSync(join(root, 'functions', fn, 'node_modules', dep)), 'package.json'), 'utf8')).version;

describe('bundle-functions', () => {
  it('bundles the worker with the workspace packages it uses and lists only its registry packages, at the installed versions', async () => {
    const out = join(temp(), BUNDLE_DIR);
    const b = await bundleFunction({ root, name: 'worker', out });
    expect(b.dependencies).toEqual({ ioredis: installedVersion('worker', 'ioredis'), sharp: installedVersion('worker', 'sharp') });
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({
      name: 'autofarm-worker',
      version: '0.1.0',
      private: true,
      type: 'module',
      main: 'handler.js',
      dependencies: b.dependencies,
    });
    const code = [join(out, 'handler.js'), ...readdirSync(join(out, 'chunks')).map((c) => join(out, 'chunks', c))]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // No workspace package is left to resolve at run time; the farm's code is inside.
    expect(code).not.toMatch(/from ["']@autofarm\//);
    expect(code).toContain('function farmFunction(');
    // sharp is imported only by the chunk the image work mode loads on demand.
    expect(readFileSync(join(out, 'handler.js'), 'utf8')).not.toMatch(/from ["']sharp["']/);
    expect(code).toMatch(/from ["']sharp["']/);
  });

  it('gives emitter and collector ioredis only', async () => {
    for (const name of (FUNCTIONS as string[]).filter((n) => n !== 'worker')) {
      const b = await bundleFunction({ root, name, out: join(temp(), BUNDLE_DIR) });
      expect(b.dependencies).toEqual({ ioredis: installedVersion(name, 'ioredis') });
    }
  });

  it('refuses a registry dependency it would have to bundle', async () => {
    const tree = temp();
    write(
      join(tree, 'functions/odd/package.json'),
      JSON.stringify({ name: 'odd', version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' } }),
    );
    write(join(tree, 'functions/odd/src/handler.ts'), 'export const run = async () => {};\n');
    await expect(bundleFunction({ root: tree, name: 'odd' })).rejects.toThrow(
      /odd: left-pad is a registry dependency that would be bundled/,
    );
  });

  it('refuses a handler that loads a registry package at start which its package.json does not list', async () => {
    const tree = temp();
    write(join(tree, 'functions/odd/package.json'), JSON.stringify({ name: 'odd', version: '1.0.0', dependencies: {} }));
    write(join(tree, 'functions/odd/src/handler.ts'), "import { Redis } from 'ioredis';\nexport const client = Redis;\n");
    await expect(bundleFunction({ root: tree, name: 'odd' })).rejects.toThrow(
      /odd: handler\.js loads ioredis at start but functions\/odd\/package\.json does not list it/,
    );
  });
});
