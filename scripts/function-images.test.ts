/**
 * What `faas-cli up` builds, minus Docker: each function's handler folder is bundled
 * (scripts/bundle-functions.mjs), staged the way faas-cli stages a build context (template at the
 * root, handler folder under function/), the template Dockerfile's build stage is run on the host
 * (its `npm install`, offline: packages come from a loopback registry serving what pnpm installed
 * here, and any other request goes to a closed proxy port), its ship stage's COPY / ENV are
 * applied, and the image's fprocess (`node index.js`) is started. The three "images" then join an
 * episode announced on a private redis-server and finish it, the worker doing real image work
 * with the sharp that npm installed. Not exercised: Docker itself, the Alpine base image (sharp's
 * linuxmusl binaries), of-watchdog, the ship stage's RUN (user creation).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEpisode } from '@autofarm/farm';
import { startTestFarm, type TestFarm } from '@autofarm/farm/testing';
// @ts-expect-error -- plain ESM script (JSDoc-typed; scripts/ is not part of tsc -b)
import { BUNDLE_DIR, bundleFunction, FUNCTIONS } from './bundle-functions.mjs';
// @ts-expect-error -- plain ESM script (JSDoc-typed; scripts/ is not part of tsc -b)
import { stackFunction, stageBuildContext } from './stage-function.mjs';
import { buildStages, type StageResult } from './testing/dockerfile.js';
import { startLocalRegistry, type LocalRegistry } from './testing/npm-registry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const names = FUNCTIONS as string[];

let tmp: string;
let farm: TestFarm;
let registry: LocalRegistry | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'af-images-'));
  farm = await startTestFarm({
    server: { password: 'pw' },
    // Real image work on small images: the worker must load the sharp npm installed.
    config: {
      workload: { base_rate: 120, phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 3 }] },
      tasks: { work: 'image', image_size: { min: 64, max: 160 } },
    },
  });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await registry?.close();
  await farm?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start the image's fprocess as the watchdog would, with stack.yml's environment for it. */
function startImage(name: string, ship: StageResult, secrets: string): { child: ChildProcess; output: () => string } {
  const app = join(ship.rootfs, ship.workdir);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...ship.env,
    ...stackFunction(root, name).environment,
    // Where Kubernetes would put them: the Redis service and the mounted OpenFaaS secret.
    REDIS_HOSTNAME: farm.server.host,
    REDIS_PORT: String(farm.server.port),
    secrets_dir: secrets,
    HOSTNAME: `${name}-6b7d9-x2k4p`,
    // A free port instead of the image's 3000, and no watchdog lock file.
    http_port: '0',
    lock_file: join(tmp, `${name}.lock`),
  };
  // of-watchdog splits fprocess on spaces and runs it, no shell in between.
  const [command, ...args] = String(ship.env.fprocess).split(' ');
  const child = spawn(command as string, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

describe('the function images, built as faas-cli builds them', () => {
  it(
    'install offline from the bundled handler folders, start with the template entrypoint ' + 'and run an announced episode on redis',
    async () => {
      const t0 = Date.now();
      // Nothing above the build directories may lend the images a node_modules.
      for (let d = tmp; d !== dirname(d); d = dirname(d)) expect(existsSync(join(d, 'node_modules')), `${d}/node_modules`).toBe(false);

      // 1. pnpm build's bundling step, into a fresh folder per function.
      const bundles = await Promise.all(names.map((name) => bundleFunction({ root, name, out: join(tmp, 'handlers', name, BUNDLE_DIR) })));
      expect(bundles.map((b) => b.dependencies)).toEqual([
        { ioredis: expect.any(String) },
        { ioredis: expect.any(String), sharp: expect.any(String) },
        { ioredis: expect.any(String) },
      ]);

      // 2. The registry npm will use: the packages installed for the functions, and their dependencies.
      const seeds = bundles.flatMap((b, i) =>
        Object.keys(b.dependencies).map((d) => join(root, 'functions', names[i] as string, 'node_modules', d)),
      );
      registry = await startLocalRegistry(seeds, [join(root, 'node_modules/.pnpm/node_modules')]);
      const npmrc = (scope: string) => {
        writeFileSync(join(tmp, `${scope}.npmrc`), '');
        return join(tmp, `${scope}.npmrc`);
      };
      const npmEnv = {
        npm_config_registry: registry.url,
        npm_config_cache: join(tmp, 'npm-cache'),
        // Not the user's or the machine's npmrc (a registry or token there must not matter).
        npm_config_userconfig: npmrc('user'),
        npm_config_globalconfig: npmrc('global'),
        // Anything not for the loopback registry goes to a closed port: no download can happen.
        npm_config_proxy: 'http://127.0.0.1:9',
        npm_config_https_proxy: 'http://127.0.0.1:9',
        npm_config_noproxy: '127.0.0.1',
        npm_config_fetch_retries: '0',
        npm_config_update_notifier: 'false',
      };

      // 3. faas-cli's staging and the Dockerfile's stages, one function after the other (three npm
      // installs at once would crowd the timing-sensitive tests running beside this one).
      const images: Array<{ build: StageResult; ship: StageResult }> = [];
      for (const [i, name] of names.entries()) {
        const context = join(tmp, 'build', name);
        stageBuildContext({ root, name, out: context, handlerDir: bundles[i]?.out });
        const stages = await buildStages(join(context, 'Dockerfile'), {
          context,
          out: join(tmp, 'images', name),
          run: ['build'],
          env: npmEnv,
        });
        images.push({ build: stages.get('build') as StageResult, ship: stages.get('ship') as StageResult });
      }
      const buildSeconds = (Date.now() - t0) / 1000;
      for (const [i, { build, ship }] of images.entries()) {
        // The build stage's own check ran: npm install, then importing handler.js.
        expect(build.ran.some((r) => r.includes('npm install --omit=dev'))).toBe(true);
        expect(build.ran.some((r) => r.includes("import('./handler.js')"))).toBe(true);
        // The ship stage's only RUN creates the non-root user; it is not run on this host.
        expect(ship.skipped).toEqual([expect.stringContaining('adduser')]);
        const fn = join(ship.rootfs, 'home/app/function');
        expect(existsSync(join(fn, 'handler.js'))).toBe(true);
        expect(existsSync(join(fn, 'node_modules/ioredis/package.json'))).toBe(true);
        expect(existsSync(join(fn, 'node_modules/sharp/package.json'))).toBe(names[i] === 'worker');
        expect(existsSync(join(fn, 'node_modules/@autofarm'))).toBe(false);
      }
      expect(registry.missing).toEqual([]);
      expect(registry.served).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ioredis@/),
          expect.stringMatching(/^sharp@/),
          expect.stringMatching(/^@img\/sharp-linux/),
        ]),
      );

      // 4. The entrypoints, against a private redis-server; the password as an OpenFaaS secret.
      const secrets = join(tmp, 'secrets');
      mkdirSync(secrets);
      writeFileSync(join(secrets, 'redis-password'), 'pw\n');
      const running = names.map((name, i) => ({ name, ...startImage(name, (images[i] as { ship: StageResult }).ship, secrets) }));
      const port = (out: string) => Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? NaN);
      await until(() => running.every((r) => port(r.output()) > 0), 'all three functions listening', 20_000);

      await announceEpisode(farm.redis, {
        episodeId: 'image-ep',
        seed: 5,
        clock: { kind: 'wall', originMs: Date.now() + 300, timeScale: 1 },
        config: farm.config,
        heartbeat: { intervalMs: 100, ttlMs: 600 },
      });
      await until(async () => (await farm.redis.exists(farm.names.generationDone)) === 1, 'the emitter finished generating');
      const planned = Number(await farm.redis.get(farm.names.generationDone));
      await until(
        async () => Number(await farm.redis.get(farm.names.collectedTotal)) === planned,
        `the collector counted all ${planned} tasks`,
      );
      expect(planned).toBeGreaterThan(0);

      const worker = running[1] as (typeof running)[number];
      type Output = { worker_id: string; processing_time: number; processing_time_simulated?: number };
      const outputs = (await farm.redis.lrange(farm.names.output, 0, -1)).map((r) => JSON.parse(r) as Output);
      expect(outputs).toHaveLength(planned);
      expect(new Set(outputs.map((o) => o.worker_id))).toEqual(new Set(['worker-6b7d9-x2k4p']));
      // Measured by the image pipeline (milliseconds for these sizes), the model's time beside it.
      for (const o of outputs) {
        expect(o.processing_time).toBeGreaterThan(0);
        expect(o.processing_time_simulated).toEqual(expect.any(Number));
        expect(o.processing_time).not.toBe(o.processing_time_simulated);
      }
      const status = await (await fetch(`http://127.0.0.1:${port(worker.output())}/_/status`)).json();
      expect(status.handler).toMatchObject({ role: 'worker', episodeId: 'image-ep', tasks: planned, errors: 0 });
      expect(worker.output()).toMatch(/worker worker-6b7d9-x2k4p: joined episode image-ep/);

      // 5. SIGTERM (what the watchdog's pod gets): each stops its loop and exits 0.
      const codes = await Promise.all(
        running.map((r) => new Promise<number | null>((resolve) => (r.child.once('exit', (c) => resolve(c)), r.child.kill('SIGTERM')))),
      );
      expect(codes).toEqual([0, 0, 0]);
      console.log(
        `function images: bundled, staged and installed in ${buildSeconds.toFixed(1)} s; ` +
          `episode of ${planned} tasks run; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`,
      );
    },
    90_000,
  );
});
