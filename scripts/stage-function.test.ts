import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script (checked with tsc --checkJs, not part of tsc -b)
import { stageFunction, stageProject } from './stage-function.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * A miniature pnpm workspace: functions/worker -> @x/farm -> @x/core, with registry packages
 * linked the way pnpm links them (symlinks into a store).
 */
function workspace(opts: { conflict?: boolean; noDist?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'af-ws-'));
  dirs.push(root);
  const store = (name: string, version: string) => {
    const dir = join(root, 'node_modules/.pnpm', `${name}@${version}`, 'node_modules', name);
    write(join(dir, 'package.json'), json({ name, version }));
    return dir;
  };
  const link = (from: string, name: string, target: string) => {
    mkdirSync(dirname(join(from, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(from, 'node_modules', name));
  };
  const core = join(root, 'packages/core');
  write(join(core, 'package.json'), json({ name: '@x/core', version: '0.1.0', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } }, dependencies: { zod: '^4.0.0' } }));
  write(join(core, 'dist/index.js'), 'export const core = 1;\n');
  write(join(core, 'dist/index.d.ts'), 'export declare const core: number;\n');
  link(core, 'zod', store('zod', '4.6.7'));
  const farm = join(root, 'packages/farm');
  write(join(farm, 'package.json'), json({ name: '@x/farm', version: '0.1.0', type: 'module', exports: { '.': './dist/index.js' }, dependencies: { '@x/core': 'workspace:*', ioredis: '^6.0.0', ...(opts.conflict ? { zod: '^3' } : {}) } }));
  if (!opts.noDist) {
    write(join(farm, 'dist/index.js'), "export * from '@x/core';\n");
    write(join(farm, 'dist/loop.test.js'), 'test\n');
  }
  link(farm, '@x/core', core);
  link(farm, 'ioredis', store('ioredis', '6.0.0'));
  if (opts.conflict) link(farm, 'zod', store('zod', '3.25.0'));
  const fn = join(root, 'functions/worker');
  write(join(fn, 'package.json'), json({ name: '@x/function-worker', version: '0.2.0', dependencies: { '@x/farm': 'workspace:*' } }));
  write(join(fn, 'dist/handler.js'), "export async function run() {}\n");
  write(join(fn, 'dist/handler.d.ts'), 'export {};\n');
  write(join(fn, 'dist/.tsbuildinfo'), '{}');
  link(fn, '@x/farm', farm);
  write(join(root, 'functions/stack.yml'), 'provider: {name: openfaas}\n');
  write(join(root, 'functions/template/node20-longrun/Dockerfile'), 'FROM scratch\n');
  write(join(root, 'functions/template/node20-longrun/server.test.ts'), '// test\n');
  return root;
}

describe('stage-function', () => {
  it('stages the compiled handler, the workspace packages it uses and its registry dependencies at the installed versions', () => {
    const root = workspace();
    const out = join(root, 'out/worker');
    const staged = stageFunction({ root, name: 'worker', out });
    expect(staged).toEqual({ registry: { ioredis: '6.0.0', zod: '4.6.7' }, workspace: ['@x/core', '@x/farm'] });
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({ name: 'worker', version: '0.2.0', private: true, type: 'module', main: 'handler.js', dependencies: { ioredis: '6.0.0', zod: '4.6.7' } });
    expect(existsSync(join(out, 'handler.js'))).toBe(true);
    // Build output only: no declarations, build info or compiled tests in an image.
    expect(existsSync(join(out, 'handler.d.ts'))).toBe(false);
    expect(existsSync(join(out, '.tsbuildinfo'))).toBe(false);
    expect(existsSync(join(out, 'local_modules/@x/farm/dist/loop.test.js'))).toBe(false);
    expect(readFileSync(join(out, 'local_modules/@x/farm/dist/index.js'), 'utf8')).toContain('@x/core');
    const corePkg = JSON.parse(readFileSync(join(out, 'local_modules/@x/core/package.json'), 'utf8'));
    expect(corePkg).toMatchObject({ name: '@x/core', type: 'module', exports: { '.': { default: './dist/index.js' } } });
    // Workspace links are resolved by copying, so no `workspace:` spec reaches npm.
    expect(readFileSync(join(out, 'package.json'), 'utf8')).not.toContain('workspace:');
    expect(corePkg.dependencies).toBeUndefined();
  });

  it('refuses two installed versions of one registry package (an image holds one)', () => {
    const root = workspace({ conflict: true });
    expect(() => stageFunction({ root, name: 'worker', out: join(root, 'out/worker') })).toThrow(/zod: two versions installed/);
  });

  it('asks for a build when a package has not been compiled', () => {
    const root = workspace({ noDist: true });
    expect(() => stageFunction({ root, name: 'worker', out: join(root, 'out/worker') })).toThrow(/@x\/farm has no dist\/; run `pnpm build` first/);
  });

  it('stages a faas-cli project: stack.yml, the template without its tests, and the functions', () => {
    const root = workspace();
    const out = join(root, 'project');
    stageProject({ root, out, functions: ['worker'] });
    expect(existsSync(join(out, 'stack.yml'))).toBe(true);
    expect(existsSync(join(out, 'template/node20-longrun/Dockerfile'))).toBe(true);
    expect(existsSync(join(out, 'template/node20-longrun/server.test.ts'))).toBe(false);
    expect(existsSync(join(out, 'worker/handler.js'))).toBe(true);
  });
});
