#!/usr/bin/env node
// @ts-check
/**
 * Stages the OpenFaaS functions as a self-contained faas-cli project, so `faas-cli build` (and
 * docker) can build them without the pnpm workspace:
 *
 *   OUT/stack.yml                       copy of functions/stack.yml
 *   OUT/template/node20-longrun/        copy of functions/template/node20-longrun
 *   OUT/<fn>/handler.js ...             functions/<fn>/dist (compiled by `tsc -b`)
 *   OUT/<fn>/package.json               the registry dependencies of the function and of every
 *                                       workspace package it uses, at the exact versions
 *                                       installed here (read from node_modules)
 *   OUT/<fn>/local_modules/@autofarm/*  the workspace packages it uses, built (dist/ only)
 *
 * The template's Dockerfile runs `npm install` on package.json, then copies local_modules into
 * node_modules. Why not `pnpm deploy`: it packs what `npm pack` would, and dist/ is gitignored.
 *
 * Usage: node scripts/stage-function.mjs --out DIR [emitter worker collector]
 */
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = 'node20-longrun';

/** @param {string} dir */
function readPkg(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Build output only: no declarations, build info or tests in an image. @param {string} src */
const shipFilter = (src) => !/\.d\.ts(\.map)?$|\.tsbuildinfo$|\.test\.(js|js\.map)$/.test(src);

/**
 * The workspace packages and registry dependencies reachable from `dir`.
 * @param {string} dir
 * @param {Map<string, string>} workspace name -> directory
 * @param {Map<string, string>} registry name -> exact installed version
 */
function collect(dir, workspace, registry) {
  const deps = readPkg(dir).dependencies ?? {};
  for (const [name, spec] of Object.entries(deps)) {
    const link = join(dir, 'node_modules', name);
    if (!existsSync(link)) throw new Error(`${name} (needed by ${dir}) is not installed; run pnpm install`);
    const target = realpathSync(link);
    if (String(spec).startsWith('workspace:')) {
      if (!workspace.has(name)) {
        workspace.set(name, target);
        collect(target, workspace, registry);
      }
    } else {
      const version = readPkg(target).version;
      const seen = registry.get(name);
      if (seen !== undefined && seen !== version) throw new Error(`${name}: two versions installed (${seen}, ${version}); the image can hold one`);
      registry.set(name, version);
    }
  }
}

/**
 * Stage one function into `out` (created, replaced if present).
 * @param {{ root: string, name: string, out: string }} options
 * @returns {{ registry: Record<string, string>, workspace: string[] }}
 */
export function stageFunction({ root, name, out }) {
  const fnDir = join(root, 'functions', name);
  const dist = join(fnDir, 'dist');
  if (!existsSync(join(dist, 'handler.js'))) throw new Error(`${dist}/handler.js is missing; run \`pnpm build\` first`);
  const workspace = new Map();
  const registry = new Map();
  collect(fnDir, workspace, registry);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(dist, out, { recursive: true, filter: shipFilter });
  for (const [pkgName, dir] of workspace) {
    const pkgDist = join(dir, 'dist');
    if (!existsSync(pkgDist)) throw new Error(`${pkgName} has no dist/; run \`pnpm build\` first`);
    const target = join(out, 'local_modules', pkgName);
    cpSync(pkgDist, join(target, 'dist'), { recursive: true, filter: shipFilter });
    const { name: n, version, type, exports, main, sideEffects } = readPkg(dir);
    writeFileSync(join(target, 'package.json'), `${JSON.stringify({ name: n, version, private: true, type, main, exports, sideEffects }, null, 2)}\n`);
  }
  const sorted = Object.fromEntries([...registry].sort(([a], [b]) => a.localeCompare(b)));
  const pkg = { name, version: readPkg(fnDir).version, private: true, type: 'module', main: 'handler.js', dependencies: sorted };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return { registry: sorted, workspace: [...workspace.keys()].sort() };
}

/**
 * Stage the faas-cli project: stack.yml, the template and every named function.
 * @param {{ root: string, out: string, functions: string[] }} options
 */
export function stageProject({ root, out, functions }) {
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'functions', 'stack.yml'), join(out, 'stack.yml'));
  const template = join(out, 'template', TEMPLATE);
  rmSync(template, { recursive: true, force: true });
  cpSync(join(root, 'functions', 'template', TEMPLATE), template, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  return Object.fromEntries(functions.map((name) => [name, stageFunction({ root, name, out: join(out, name) })]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? args[at + 1] : undefined;
  if (!out) {
    process.stderr.write('usage: node scripts/stage-function.mjs --out DIR [emitter worker collector]\n');
    process.exit(2);
  }
  const names = args.filter((a, i) => a !== '--out' && i !== at + 1);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const staged = stageProject({ root, out: resolve(out), functions: names.length > 0 ? names : ['emitter', 'worker', 'collector'] });
    for (const [name, s] of Object.entries(staged)) {
      process.stdout.write(`staged ${name}: ${s.workspace.join(', ')} + ${Object.entries(s.registry).map(([n, v]) => `${n}@${v}`).join(', ')}\n`);
    }
  } catch (error) {
    process.stderr.write(`stage-function: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
