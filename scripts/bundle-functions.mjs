#!/usr/bin/env node
// @ts-check
/**
 * Makes each OpenFaaS function's handler folder (stack.yml `handler: ./<fn>/bundle`)
 * self-contained, so faas-cli's build context (the template's files + this folder as function/)
 * holds everything the template's Dockerfile needs:
 *
 *   functions/<fn>/bundle/handler.js     the handler with the workspace packages it uses
 *                                        (@autofarm/core, workload, farm) and the pure-JS registry
 *                                        packages under them (zod, yaml, pure-rand), bundled from
 *                                        source by esbuild
 *   functions/<fn>/bundle/chunks/*.js    code loaded on demand: the image pipeline, imported only
 *                                        when tasks.work is `image` (it loads sharp)
 *   functions/<fn>/bundle/package.json   the function's own registry dependencies (its
 *                                        package.json's non-workspace `dependencies`: ioredis,
 *                                        and sharp for the worker), at the versions installed
 *                                        here; the Dockerfile's `npm install` installs them
 *
 * Those registry packages stay packages rather than bundled code: sharp is native (its binary
 * comes from a per-platform package that npm picks in the image, linuxmusl-x64 on Alpine), and
 * ioredis stays one so the image's package.json names the Redis client and its version. The
 * other functions' bundles also hold the image chunk (it is reachable from the farm's worker
 * code) but never load it, so they do not install sharp; a handler that would load an
 * undeclared package at start is refused here. `pnpm build` runs this after `tsc -b`; the
 * bundles are generated, not committed (README, "The functions with faas-cli alone").
 *
 * Usage: node scripts/bundle-functions.mjs [emitter worker collector]
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const FUNCTIONS = ['emitter', 'worker', 'collector'];
/** The handler folder of each function, relative to functions/<fn> (stack.yml's `handler`). */
export const BUNDLE_DIR = 'bundle';

/** Registry packages that are never bundled: native (sharp) or kept as a package (ioredis). */
const EXTERNAL = ['ioredis', 'sharp'];

/** @param {string} dir */
function readPkg(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/**
 * Workspace imports resolve to the packages' TypeScript sources (as in vitest.config.ts), so a
 * bundle never depends on a stale dist/: `@autofarm/farm` -> packages/farm/src/index.ts,
 * `@autofarm/farm/image` -> packages/farm/src/image/index.ts.
 * @param {string} root
 * @returns {import('esbuild').Plugin}
 */
function workspaceSources(root) {
  return {
    name: 'autofarm-workspace-sources',
    setup(b) {
      b.onResolve({ filter: /^@autofarm\// }, (args) => {
        const m = /^@autofarm\/([a-z]+)(?:\/([a-z]+))?$/.exec(args.path);
        const file = m ? join(root, 'packages', m[1] ?? '', 'src', m[2] ?? '', 'index.ts') : '';
        if (!m || !existsSync(file)) return { errors: [{ text: `cannot map ${args.path} to a workspace source file` }] };
        return { path: file };
      });
    },
  };
}

/**
 * The externals each output file imports at load time, following static imports between chunks
 * (a dynamic import() is loaded on demand and not followed).
 * @param {import('esbuild').Metafile} metafile
 * @param {string} entry output path of handler.js as the metafile names it
 */
function externalsLoadedAtStart(metafile, entry) {
  const seen = new Set();
  const found = new Set();
  const visit = (/** @type {string} */ file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of metafile.outputs[file]?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) {
        if (!isBuiltin(imp.path)) found.add(imp.path);
      } else visit(imp.path);
    }
  };
  visit(entry);
  return found;
}

/**
 * Bundle one function into `out` (replaced if present).
 * @param {{ root: string, name: string, out?: string }} options
 * @returns {Promise<{ out: string, dependencies: Record<string, string>, files: string[] }>}
 */
export async function bundleFunction({ root, name, out }) {
  const fnDir = join(root, 'functions', name);
  const target = out ?? join(fnDir, BUNDLE_DIR);
  const pkg = readPkg(fnDir);
  /** @type {Record<string, string>} */
  const dependencies = {};
  for (const [dep, spec] of Object.entries(pkg.dependencies ?? {})) {
    if (String(spec).startsWith('workspace:')) continue;
    if (!EXTERNAL.includes(dep))
      throw new Error(
        `${name}: ${dep} is a registry dependency that would be bundled; list it in EXTERNAL ` +
          `or drop it from functions/${name}/package.json`,
      );
    const link = join(fnDir, 'node_modules', dep);
    if (!existsSync(link)) throw new Error(`${name}: ${dep} is not installed; run pnpm install`);
    // The version installed here, i.e. the one the tests ran against.
    dependencies[dep] = readPkg(realpathSync(link)).version;
  }

  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { handler: join(fnDir, 'src', 'handler.ts') },
    outdir: target,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [workspaceSources(root)],
    // CommonJS code inside an ESM bundle needs a real require for Node's built-ins.
    banner: { js: "import { createRequire as __afCreateRequire } from 'node:module'; const require = __afCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'silent',
  });
  const entry = relative(root, join(target, 'handler.js')).split('\\').join('/');
  const atStart = externalsLoadedAtStart(result.metafile, entry);
  const undeclared = [...atStart].filter((d) => !(d in dependencies));
  if (undeclared.length > 0)
    throw new Error(`${name}: handler.js loads ${undeclared.join(', ')} at start but functions/${name}/package.json does not list it`);

  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  const manifest = {
    name: `autofarm-${name}`,
    version: pkg.version,
    private: true,
    type: 'module',
    main: 'handler.js',
    dependencies: sorted,
  };
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const files = Object.keys(result.metafile.outputs).map((f) => relative(relative(root, target), f).split('\\').join('/'));
  return { out: target, dependencies: sorted, files: [...files, 'package.json'].sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !FUNCTIONS.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`bundle-functions: unknown function ${unknown.join(', ')} (expected: ${FUNCTIONS.join(', ')})\n`);
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    for (const name of names.length > 0 ? names : FUNCTIONS) {
      const b = await bundleFunction({ root, name });
      const deps = Object.entries(b.dependencies)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ');
      process.stdout.write(`bundled ${name}: ${relative(root, b.out)}/ (${b.files.length} files; npm installs ${deps})\n`);
    }
  } catch (error) {
    process.stderr.write(`bundle-functions: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
