/**
 * Runs the steps of a Dockerfile that can run without Docker, on the host, so a test can build
 * what an image would hold: each stage gets a directory standing for its filesystem root,
 * WORKDIR / ENV / COPY (from the build context or `--from` an earlier stage) are applied, and RUN
 * commands are run with `sh -c` in the stage's working directory — for the stages the caller
 * names. Everything else (FROM's base image, USER, HEALTHCHECK, CMD, `--chown`) is recorded, not
 * emulated: the host's node and npm stand in for the base image's.
 *
 * Enough for the node24-longrun template (functions/template/node24-longrun/Dockerfile); not a
 * general Dockerfile interpreter (no heredocs, no JSON-form COPY or RUN, globs only in the last
 * path segment).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Stages in order, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of lines) {
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const op = (m[1] as string).toUpperCase();
    const args = (m[2] as string).trim();
    if (op === 'FROM') {
      const from = /(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ name: from?.[2] ?? String(stages.length), from: from?.[1] ?? '', instructions: [] });
    } else if (stages.length > 0) (stages.at(-1) as Stage).instructions.push({ op, args });
  }
  return stages;
}

/** `A=1 B="two words"` -> { A: '1', B: 'two words' }. */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) env[m[1] as string] = m[3] ?? (m[2] as string);
  return env;
}

export interface StageResult {
  name: string;
  /** The directory standing for the stage's filesystem root. */
  rootfs: string;
  /** WORKDIR at the end of the stage, a container path. */
  workdir: string;
  env: Record<string, string>;
  /** RUN commands run, and those skipped because the stage was not asked to run them. */
  ran: string[];
  skipped: string[];
}

export interface BuildOptions {
  context: string;
  /** Where the stages' filesystems go (one subdirectory per stage). */
  out: string;
  /** Stages whose RUN commands are run; the others only get their COPY / ENV / WORKDIR. */
  run: string[];
  /** Extra environment for RUN commands (on top of the host's PATH and the stage's ENV). */
  env?: Record<string, string>;
  /** Milliseconds one RUN may take (default 120 000). */
  timeoutMs?: number;
}

function sh(command: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`RUN ${command}\nexited ${signal ?? code} in ${cwd}:\n${output.slice(-4000)}`));
    });
  });
}

/** The paths a COPY source names: a glob in its last segment (`function/package*.json`) may match none. */
function expand(base: string, pattern: string): string[] {
  const full = join(base, pattern);
  const name = basename(pattern);
  if (!name.includes('*')) return existsSync(full) ? [full] : [];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const dir = dirname(full);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((e) => re.test(e))
        .map((e) => join(dir, e))
    : [];
}

/** Build every stage of `dockerfile` (a path inside the context) in order. */
export async function buildStages(dockerfile: string, options: BuildOptions): Promise<Map<string, StageResult>> {
  const stages = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const done = new Map<string, StageResult>();
  for (const stage of stages) {
    const rootfs = join(options.out, stage.name);
    mkdirSync(rootfs, { recursive: true });
    const result: StageResult = { name: stage.name, rootfs, workdir: '/', env: {}, ran: [], skipped: [] };
    const host = (p: string) => join(rootfs, posix.resolve(result.workdir, p));
    for (const { op, args } of stage.instructions) {
      if (op === 'WORKDIR') {
        result.workdir = posix.resolve(result.workdir, args);
        mkdirSync(host('.'), { recursive: true });
      } else if (op === 'ENV') Object.assign(result.env, parseEnv(args));
      else if (op === 'COPY') {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop() as string;
        const source = from === undefined ? options.context : (done.get(from)?.rootfs ?? '');
        if (from !== undefined && !done.has(from)) throw new Error(`COPY --from=${from}: no such stage before ${stage.name}`);
        const matches = paths.flatMap((p) => expand(source, p));
        const toDir = dest.endsWith('/') || paths.length > 1 || matches.some((m) => statSync(m).isDirectory());
        for (const m of matches) {
          const target = statSync(m).isDirectory() ? host(dest) : toDir ? join(host(dest), basename(m)) : host(dest);
          mkdirSync(statSync(m).isDirectory() ? target : dirname(target), { recursive: true });
          cpSync(m, target, { recursive: true });
        }
      } else if (op === 'RUN') {
        if (!options.run.includes(stage.name)) {
          result.skipped.push(args);
          continue;
        }
        const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: rootfs, ...result.env, ...options.env };
        await sh(args, host('.'), env, options.timeoutMs ?? 120_000);
        result.ran.push(args);
      }
    }
    done.set(stage.name, result);
  }
  return done;
}
