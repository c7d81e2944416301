import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script (JSDoc-typed; scripts/ is not part of tsc -b)
import { stackFunction, stageBuildContext } from './stage-function.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A miniature faas-cli project in functions/: stack.yml, a template, one bundled handler folder. */
function project(opts: { built?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'af-stage-'));
  dirs.push(root);
  write(
    join(root, 'functions/stack.yml'),
    'provider: {name: openfaas}\nfunctions:\n  worker:\n    lang: node24-longrun\n   ' +
      ' handler: ./worker/bundle\n    environment: {REDIS_PORT: "6379"}\n',
  );
  write(join(root, 'functions/template/node24-longrun/template.yml'), 'language: node24-longrun\n');
  write(join(root, 'functions/template/node24-longrun/Dockerfile'), 'FROM scratch\n');
  write(join(root, 'functions/template/node24-longrun/function/handler.js'), '// the template sample\n');
  const bundle = join(root, 'functions/worker/bundle');
  if (opts.built !== false) write(join(bundle, 'handler.js'), 'export async function run() {}\n');
  write(join(bundle, 'package.json'), '{"type":"module"}\n');
  write(join(bundle, 'chunks/image-X.js'), 'export {};\n');
  // faas-cli leaves these two names out of the function folder.
  write(join(bundle, 'build/leftover'), 'x\n');
  write(join(bundle, 'template/leftover'), 'x\n');
  // ...and copies what a symlink points at.
  write(join(root, 'shared.txt'), 'shared\n');
  symlinkSync(join(root, 'shared.txt'), join(bundle, 'linked.txt'));
  return root;
}

describe('stage-function (faas-cli build context)', () => {
  it('reads lang, handler and environment from functions/stack.yml', () => {
    const root = project();
    expect(stackFunction(root, 'worker')).toEqual({
      lang: 'node24-longrun',
      handler: './worker/bundle',
      environment: { REDIS_PORT: '6379' },
    });
    expect(() => stackFunction(root, 'gateway')).toThrow(/defines no function gateway/);
  });

  it('puts the template at the root and the handler folder in function/, over the template sample, without build/ and template/', () => {
    const root = project();
    const out = join(root, 'build/worker');
    const staged = stageBuildContext({ root, name: 'worker', out });
    expect(staged.lang).toBe('node24-longrun');
    expect(staged.files).toEqual(['chunks', 'handler.js', 'linked.txt', 'package.json']);
    expect(existsSync(join(out, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(out, 'template.yml'))).toBe(true);
    expect(readFileSync(join(out, 'function/handler.js'), 'utf8')).toContain('export async function run');
    expect(existsSync(join(out, 'function/chunks/image-X.js'))).toBe(true);
    expect(existsSync(join(out, 'function/build'))).toBe(false);
    expect(existsSync(join(out, 'function/template'))).toBe(false);
    expect(readFileSync(join(out, 'function/linked.txt'), 'utf8')).toBe('shared\n');
  });

  it('replaces an earlier staging instead of mixing with it', () => {
    const root = project();
    const out = join(root, 'build/worker');
    write(join(out, 'function/stale.js'), 'old\n');
    stageBuildContext({ root, name: 'worker', out });
    expect(existsSync(join(out, 'function/stale.js'))).toBe(false);
  });

  it('asks for `pnpm build` when the handler folder has no bundle', () => {
    const root = project({ built: false });
    expect(() => stageBuildContext({ root, name: 'worker', out: join(root, 'build/worker') })).toThrow(
      /handler\.js is missing; run `pnpm build` first/,
    );
  });
});
