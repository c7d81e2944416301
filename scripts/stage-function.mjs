#!/usr/bin/env node
// @ts-check
/**
 * Stages a function's Docker build context exactly as `faas-cli build` does, without faas-cli or
 * Docker, so the context can be inspected (scripts/build-functions.sh --stage-only) and tested
 * (scripts/function-images.test.ts):
 *
 *   OUT/<fn>/             the template's files (functions/template/<lang>/, all of them)
 *   OUT/<fn>/function/    the function's handler folder (functions/<handler>, i.e. the bundle
 *                         scripts/bundle-functions.mjs wrote), minus entries named build or template
 *
 * This is faas-cli's builder.createBuildContext (build/<fn>/ in the directory it runs in, the
 * template from ./template/<lang>, symlinks followed). `lang` and `handler` come from
 * functions/stack.yml, resolved against functions/, where faas-cli runs.
 *
 * Usage: node scripts/stage-function.mjs --out DIR [emitter worker collector]
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository (where the yaml parser is installed); `root` arguments may name another tree. */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One function of functions/stack.yml: its template language and handler folder.
 * @param {string} root
 * @param {string} name
 * @returns {{ lang: string, handler: string, environment: Record<string, string> }}
 */
export function stackFunction(root, name) {
  // The root has no yaml of its own; core's copy reads it (as deploy/yaml-files.ts does).
  const yaml = createRequire(join(repo, 'packages/core/package.json'))('yaml');
  const stack = yaml.parse(readFileSync(join(root, 'functions', 'stack.yml'), 'utf8'));
  const fn = stack?.functions?.[name];
  if (!fn) throw new Error(`functions/stack.yml defines no function ${name}`);
  return { lang: String(fn.lang), handler: String(fn.handler), environment: { ...(fn.environment ?? {}) } };
}

/**
 * Stage the build context of one function into `out` (replaced if present).
 * @param {{ root: string, name: string, out: string, handlerDir?: string }} options
 *   handlerDir: use this folder as the handler instead of the one stack.yml names
 * @returns {{ lang: string, handlerDir: string, files: string[] }}
 */
export function stageBuildContext({ root, name, out, handlerDir }) {
  const { lang, handler } = stackFunction(root, name);
  const functionsDir = join(root, 'functions');
  const templateDir = join(functionsDir, 'template', lang);
  const source = handlerDir ?? resolve(functionsDir, handler);
  if (!existsSync(join(templateDir, 'template.yml'))) throw new Error(`template ${lang} not found in functions/template/`);
  if (!existsSync(join(source, 'handler.js'))) throw new Error(`${source}/handler.js is missing; run \`pnpm build\` first`);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'function'), { recursive: true });
  cpSync(templateDir, out, { recursive: true, dereference: true });
  for (const entry of readdirSync(source)) {
    // faas-cli skips these two names in a handler folder.
    if (entry === 'build' || entry === 'template') continue;
    cpSync(join(source, entry), join(out, 'function', entry), { recursive: true, dereference: true });
  }
  return { lang, handlerDir: source, files: readdirSync(join(out, 'function')).sort() };
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
  try {
    for (const name of names.length > 0 ? names : ['emitter', 'worker', 'collector']) {
      const staged = stageBuildContext({ root: repo, name, out: join(resolve(out), name) });
      process.stdout.write(
        `staged ${name}: ${join(resolve(out), name)} (template ${staged.lang}; function/: ${staged.files.join(', ')})\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`stage-function: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
