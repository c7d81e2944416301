/**
 * Test helpers for the deployment files: YAML parsing (through core's `yaml`, the root has no
 * copy of its own), deploy/versions.env, and validation of Kubernetes objects with
 * kubernetes-models' typed classes (schema types and required fields; unknown fields are not
 * caught by those, so the tests check the fields that matter explicitly).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as apps from 'kubernetes-models/apps/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as core from 'kubernetes-models/v1';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const deployDir = join(root, 'deploy');

const yaml = createRequire(join(root, 'packages/core/package.json'))('yaml') as typeof import('yaml');

/** One YAML document given as text. */
export function parseYaml(text: string): unknown {
  return yaml.parse(text);
}

/** Every YAML document in `file`, as plain data (throws on a syntax error, with the file name). */
export function readYamlDocuments(file: string): unknown[] {
  const docs = yaml.parseAllDocuments(readFileSync(file, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d) => {
    if (d.errors.length > 0) throw new Error(`${relative(root, file)}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS();
  });
}

export function readYaml<T = Record<string, unknown>>(file: string): T {
  const docs = readYamlDocuments(file);
  if (docs.length !== 1) throw new Error(`${relative(root, file)}: expected one YAML document, found ${docs.length}`);
  return docs[0] as T;
}

/** deploy/versions.env as a record (KEY=VALUE lines, # comments). */
export function readVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(deployDir, 'versions.env'), 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(\S+)$/.exec(t);
    if (!m) throw new Error(`deploy/versions.env: not KEY=VALUE: ${line}`);
    out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** YAML files under `dir`, recursively. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out.sort();
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export function isKubeObject(doc: unknown): doc is KubeObject {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return (
    typeof d.apiVersion === 'string' &&
    typeof d.kind === 'string' &&
    !String(d.apiVersion).startsWith('kind.x-k8s.io') &&
    !String(d.apiVersion).startsWith('kustomize')
  );
}

/** Construct the kubernetes-models class for the object's apiVersion/kind and validate() it. */
type ModelClass = new (data: never) => { validate(): void };
const models: Record<string, Record<string, unknown>> = { v1: core, 'apps/v1': apps, 'rbac.authorization.k8s.io/v1': rbac };

export async function validateKubeObject(obj: KubeObject): Promise<void> {
  const Model = models[obj.apiVersion]?.[obj.kind] as ModelClass | undefined;
  if (!Model) throw new Error(`kubernetes-models has no ${obj.kind} in ${obj.apiVersion}`);
  new Model(obj as never).validate();
}
