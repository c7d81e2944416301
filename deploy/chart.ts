/**
 * Test helper: files of the pinned OpenFaaS chart package (openfaas-<version>.tgz, as `helm
 * pull` saves it), read without helm: gunzip, then the tar's 512-byte headers.
 *
 * The package is not in this repository: CI keeps it beside the clone, in
 * ../shared/reference/upstream/ (a worktree one level further down finds it at ../../shared).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readVersions, root } from './yaml-files.js';

/** The chart package of deploy/versions.env's OPENFAAS_CHART_VERSION, or null with where it was looked for. */
export function chartPackage(): { file: string } | { file: null; looked: string[] } {
  const name = `openfaas-${readVersions().OPENFAAS_CHART_VERSION}.tgz`;
  const looked = ['..', '../..'].map((up) => join(root, up, 'shared/reference/upstream', name));
  const file = looked.find((f) => existsSync(f));
  return file ? { file } : { file: null, looked };
}

/** Every regular file in a .tgz, by path. */
export function readTgz(file: string): Map<string, string> {
  const tar = gunzipSync(readFileSync(file));
  const files = new Map<string, string>();
  const field = (at: number, len: number) =>
    tar
      .subarray(at, at + len)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length;) {
    const name = field(at, 100);
    if (name === '') break;
    const size = Number.parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    const prefix = field(at + 345, 155);
    if (type === '0' || type === '')
      files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(at + 512, at + 512 + size).toString('utf8'));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Leaf key paths of a values mapping ("functions.readinessProbe.periodSeconds"), with their values. */
export function leafPaths(values: unknown, prefix: string[] = []): Array<{ path: string[]; value: unknown }> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [{ path: prefix, value: values }];
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return [{ path: prefix, value: values }];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/**
 * Where a key path of ours does not fit the chart's values.yaml: the first missing key, or a
 * type other than the chart's default. A free-form mapping in the chart (`{}` or null, like
 * nodeSelector) accepts anything below it. Null = fits.
 */
export function misfit(chart: unknown, path: string[], value: unknown): string | null {
  let at: unknown = chart;
  for (const [i, key] of path.entries()) {
    if (at === null || (typeof at === 'object' && !Array.isArray(at) && Object.keys(at as object).length === 0)) return null;
    if (typeof at !== 'object' || Array.isArray(at) || !(key in (at as object)))
      return `${path.slice(0, i + 1).join('.')} is not a key of the chart's values.yaml`;
    at = (at as Record<string, unknown>)[key];
  }
  if (at !== null && value !== null && typeof at !== typeof value)
    return `${path.join('.')}: the chart's default is a ${typeof at}, ours a ${typeof value}`;
  return null;
}
