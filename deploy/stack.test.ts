import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, z } from '@autofarm/core';
import { parseYaml, readVersions, readYaml, root } from './yaml-files.js';

/**
 * faas-cli's stack file format (faas-cli stack/schema.go: Services, Provider, Function,
 * FunctionResources), strict: a misspelt key is an error here, where faas-cli would ignore it.
 */
const stringMap = z.record(z.string(), z.string());
const resources = z.strictObject({
  memory: z
    .string()
    .regex(/^\d+(Mi|Gi)$/)
    .optional(),
  cpu: z
    .string()
    .regex(/^\d+m$/)
    .optional(),
});
const functionSchema = z.strictObject({
  lang: z.string().min(1),
  handler: z.string().min(1),
  image: z.string().regex(/^[a-z0-9./_-]+:[A-Za-z0-9._-]+$/),
  registry_auth: z.string().optional(),
  fprocess: z.string().optional(),
  environment: stringMap.optional(),
  secrets: z.array(z.string()).optional(),
  skip_build: z.boolean().optional(),
  constraints: z.array(z.string()).optional(),
  environment_file: z.array(z.string()).optional(),
  labels: stringMap.optional(),
  limits: resources.optional(),
  requests: resources.optional(),
  readonly_root_filesystem: z.boolean().optional(),
  build_options: z.array(z.string()).optional(),
  build_args: stringMap.optional(),
  annotations: stringMap.optional(),
  namespace: z.string().optional(),
});
const stackSchema = z.strictObject({
  version: z.union([z.string(), z.number()]).optional(),
  provider: z.strictObject({ name: z.literal('openfaas'), gateway: z.string().url(), network: z.string().optional() }),
  functions: z.record(z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1035 label'), functionSchema),
  configuration: z
    .strictObject({ templates: z.array(z.object({ name: z.string() })).optional(), copy: z.array(z.string()).optional() })
    .optional(),
});
type Stack = z.infer<typeof stackSchema>;

const stackFile = join(root, 'functions/stack.yml');
const stackText = readFileSync(stackFile, 'utf8');

/** stack.yml as faas-cli reads it: ${VAR} and ${VAR:-default} substituted from `env` first (envsubst). */
function renderStack(env: Record<string, string> = {}): unknown {
  return parseYaml(
    stackText.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] ?? fallback ?? ''),
  );
}

/** Labels faas-netes CE refuses (pkg/handlers/validate.go validateScalingLabels), or null. */
function ceRefusal(labels: Record<string, string> = {}): string | null {
  if (labels['com.openfaas.scale.zero'] === 'true') return 'com.openfaas.scale.zero';
  for (const key of ['com.openfaas.scale.zero-duration', 'com.openfaas.scale.target', 'com.openfaas.scale.type'])
    if (key in labels) return key;
  for (const key of ['com.openfaas.scale.max', 'com.openfaas.scale.min'])
    if (Number.parseInt(labels[key] ?? '', 10) > 5) return `${key} > 5`;
  return null;
}
const defaults = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });
/** The label the backend selects pods by when openfaas.function_label is unset (env/src/openfaas/kube.ts). */
const FUNCTION_LABEL = 'autofarm_function';
const quantity = (q: string | undefined) => (q === undefined ? NaN : q.endsWith('Gi') ? Number.parseInt(q) * 1024 : Number.parseInt(q));

describe('functions/stack.yml', () => {
  const raw = renderStack();
  const parsed = stackSchema.safeParse(raw);

  it("matches faas-cli's stack file schema", () => {
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  const stack = (parsed.success ? parsed.data : raw) as Stack;

  it('defines exactly the three farm functions, named as the openfaas backend expects', () => {
    const { emitter_function, worker_function, collector_function } = defaults.openfaas;
    expect(Object.keys(stack.functions).sort()).toEqual([collector_function, emitter_function, worker_function].sort());
    expect(stack.provider.gateway).toBe(defaults.openfaas.gateway);
  });

  it('uses the node24-longrun template in this repository, and each handler folder is the bundle pnpm build writes', () => {
    for (const [name, fn] of Object.entries(stack.functions)) {
      const template = join(root, 'functions/template', fn.lang, 'template.yml');
      expect(existsSync(template), `${name}: template ${fn.lang}`).toBe(true);
      expect(readYaml<{ language: string }>(template).language).toBe(fn.lang);
      // Relative to functions/, where faas-cli runs (scripts/bundle-functions.mjs writes it).
      expect(fn.handler, name).toBe(`./${name}/bundle`);
      expect(existsSync(join(root, 'functions', name, 'src/handler.ts')), `${name}: source`).toBe(true);
    }
  });

  it('tags every image with the pinned version, under the registry AUTOFARM_REGISTRY names (autofarm/ for kind load)', () => {
    const tag = readVersions().AUTOFARM_IMAGE_TAG;
    for (const [name, fn] of Object.entries(stack.functions)) expect(fn.image).toBe(`autofarm/${name}:${tag}`);
    const pushed = stackSchema.parse(renderStack({ AUTOFARM_REGISTRY: 'ghcr.io/someone' }));
    for (const [name, fn] of Object.entries(pushed.functions)) expect(fn.image).toBe(`ghcr.io/someone/${name}:${tag}`);
    // Only the two variables cluster-up.sh sets are substituted.
    expect([...new Set([...stackText.replace(/^\s*#.*$/gm, '').matchAll(/\$\{([A-Za-z_]+)/g)].map((m) => m[1]))].sort()).toEqual([
      'AUTOFARM_REGISTRY',
      'AUTOFARM_WORKER_MAX',
    ]);
  });

  it('deploys on OpenFaaS CE as rendered by default (no scale label above 5), and to 32 workers with AUTOFARM_WORKER_MAX', () => {
    for (const [name, fn] of Object.entries(stack.functions)) expect(ceRefusal(fn.labels), name).toBeNull();
    const pro = stackSchema.parse(renderStack({ AUTOFARM_WORKER_MAX: '32' }));
    const worker = pro.functions[defaults.openfaas.worker_function];
    expect(Number(worker?.labels?.['com.openfaas.scale.max'])).toBeGreaterThanOrEqual(defaults.scaling.max_workers);
    expect(ceRefusal(worker?.labels)).toBe('com.openfaas.scale.max > 5');
  });

  it('labels every function with the function label the backend selects pods by', () => {
    for (const [name, fn] of Object.entries(stack.functions)) expect(fn.labels?.[FUNCTION_LABEL], name).toBe(name);
  });

  it('gives every function long timeouts, Redis from env and its password from a secret', () => {
    const upScript = readFileSync(join(root, 'scripts/cluster-steps.sh'), 'utf8');
    for (const fn of Object.values(stack.functions)) {
      expect(fn.environment).toMatchObject({
        REDIS_HOSTNAME: expect.any(String),
        REDIS_PORT: '6379',
        read_timeout: '12h',
        write_timeout: '12h',
        exec_timeout: '12h',
      });
      expect(fn.secrets).toEqual(['redis-password']);
    }
    // cluster-up.sh creates that secret in the function namespace (scripts/cluster-steps.sh apply_base).
    expect(upScript).toMatch(/redis-password/);
  });

  it('sets requests no larger than limits, and keeps emitter and collector at one replica', () => {
    for (const [name, fn] of Object.entries(stack.functions)) {
      expect(quantity(fn.requests?.memory), name).toBeLessThanOrEqual(quantity(fn.limits?.memory));
      expect(quantity(fn.requests?.cpu), name).toBeLessThanOrEqual(quantity(fn.limits?.cpu));
    }
    for (const name of [defaults.openfaas.emitter_function, defaults.openfaas.collector_function]) {
      expect(stack.functions[name]?.labels).toMatchObject({ 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': '1' });
    }
  });

  it('the schema check is strict: a misspelt key is reported', () => {
    const bad = structuredClone(raw) as { functions: Record<string, Record<string, unknown>> };
    (bad.functions.worker as Record<string, unknown>).enviroment = { A: 'b' };
    expect(stackSchema.safeParse(bad).success).toBe(false);
  });
});
