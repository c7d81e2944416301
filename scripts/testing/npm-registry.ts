/**
 * A tiny npm registry on a loopback port that serves the packages pnpm installed in this
 * workspace, so `npm install` can run as the template's Dockerfile runs it without reaching the
 * public registry (and without depending on npm's cache having been filled before).
 *
 * Seeded with package directories (e.g. functions/worker/node_modules/sharp), it serves each of
 * them and everything they depend on, found the way pnpm lays packages out (a package's
 * dependencies are its siblings in node_modules/.pnpm/<id>/node_modules/). A packument lists the
 * installed versions only, with their package.json's dependency fields, os / cpu / libc, and
 * optionalDependencies cut to the ones installed here (the platform packages of this machine:
 * sharp's linux-x64 binaries, not the linuxmusl-x64 ones an Alpine image gets from the real
 * registry). Tarballs are packed from the installed files on first request.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Installed {
  name: string;
  version: string;
  dir: string;
  manifest: Record<string, unknown>;
}

export interface LocalRegistry {
  /** Base URL, ending with a slash (for npm_config_registry). */
  url: string;
  /** Every package name@version known to the registry. */
  packages(): string[];
  /** Tarballs served so far, as name@version. */
  served: string[];
  /** Requests answered 404 (a package npm wanted that is not installed here). */
  missing: string[];
  close(): Promise<void>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const deps = (m: Record<string, unknown>, field: string) => (m[field] ?? {}) as Record<string, string>;

/** The node_modules directory a package sits in (`.../node_modules/@img/sharp` -> `.../node_modules`). */
function containingNodeModules(dir: string, name: string): string {
  return name.startsWith('@') ? dirname(dirname(dir)) : dirname(dir);
}

/** Every package reachable from `seeds` through dependencies, optional ones and required peers. */
export function collectInstalled(seeds: string[], fallback: string[] = []): Map<string, Installed> {
  const found = new Map<string, Installed>();
  const visit = (linkOrDir: string) => {
    const dir = realpathSync(linkOrDir);
    const manifest = readJson(join(dir, 'package.json'));
    const name = String(manifest.name);
    const version = String(manifest.version);
    if (found.has(`${name}@${version}`)) return;
    found.set(`${name}@${version}`, { name, version, dir, manifest });
    const optionalPeers = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>;
    const wanted: Array<[string, boolean]> = [
      ...Object.keys(deps(manifest, 'dependencies')).map((d): [string, boolean] => [d, false]),
      ...Object.keys(deps(manifest, 'optionalDependencies')).map((d): [string, boolean] => [d, true]),
      ...Object.keys(deps(manifest, 'peerDependencies')).map((d): [string, boolean] => [d, optionalPeers[d]?.optional === true]),
    ];
    for (const [dep, optional] of wanted) {
      const candidates = [join(containingNodeModules(dir, name), dep), ...fallback.map((f) => join(f, dep))];
      const at = candidates.find((c) => existsSync(join(c, 'package.json')));
      if (at) visit(at);
      else if (!optional) throw new Error(`${name}@${version} needs ${dep}, which is not installed here`);
    }
  };
  for (const seed of seeds) visit(seed);
  return found;
}

/** A gzipped tarball of the installed files (npm strips the top directory, whatever its name). */
function pack(dir: string): Buffer {
  // --hard-dereference: pnpm hard-links identical files; npm's tar wants regular files.
  const tar = spawnSync('tar', ['--hard-dereference', '-cf', '-', '-C', dirname(dir), basename(dir)], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`tar of ${dir} failed: ${tar.stderr.toString()}`);
  return gzipSync(tar.stdout, { level: 1 });
}

const MANIFEST_FIELDS = [
  'name',
  'version',
  'dependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'os',
  'cpu',
  'libc',
  'engines',
  'bin',
  'scripts',
  'type',
  'main',
];

export async function startLocalRegistry(seeds: string[], fallback: string[] = []): Promise<LocalRegistry> {
  const installed = collectInstalled(seeds, fallback);
  const names = new Set([...installed.values()].map((p) => p.name));
  const tarballs = new Map<string, { data: Buffer; integrity: string; shasum: string }>();
  const tarball = (p: Installed) => {
    const key = `${p.name}@${p.version}`;
    let t = tarballs.get(key);
    if (!t) {
      const data = pack(p.dir);
      t = {
        data,
        integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
        shasum: createHash('sha1').update(data).digest('hex'),
      };
      tarballs.set(key, t);
    }
    return t;
  };
  const served: string[] = [];
  const missing: string[] = [];
  let base = '';

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname).slice(1);
    const tgz = /^(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(path);
    if (tgz) {
      const p = installed.get(`${tgz[1]}@${tgz[2]}`);
      if (!p) return (missing.push(path), res.writeHead(404).end());
      served.push(`${p.name}@${p.version}`);
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball(p).data);
    }
    if (!names.has(path))
      return (missing.push(path), res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'));
    const versions: Record<string, unknown> = {};
    for (const p of installed.values()) {
      if (p.name !== path) continue;
      const manifest = Object.fromEntries(MANIFEST_FIELDS.filter((f) => p.manifest[f] !== undefined).map((f) => [f, p.manifest[f]]));
      const optional = Object.entries(deps(p.manifest, 'optionalDependencies')).filter(([d]) => names.has(d));
      if (optional.length > 0) manifest.optionalDependencies = Object.fromEntries(optional);
      const t = tarball(p);
      const file = `${p.name.split('/').pop()}-${p.version}.tgz`;
      versions[p.version] = { ...manifest, dist: { tarball: `${base}${p.name}/-/${file}`, integrity: t.integrity, shasum: t.shasum } };
    }
    const latest = Object.keys(versions).sort().at(-1);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: path, 'dist-tags': { latest }, versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    url: base,
    packages: () => [...installed.keys()].sort(),
    served,
    missing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
