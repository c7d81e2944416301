import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import {
  deployDir,
  isKubeObject,
  parseYaml,
  readVersions,
  readYaml,
  readYamlDocuments,
  root,
  validateKubeObject,
  yamlFiles,
  type KubeObject,
} from './yaml-files.js';

const defaults = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });
/** The label the backend selects pods by when openfaas.function_label is unset (env/src/openfaas/kube.ts). */
const FUNCTION_LABEL = 'autofarm_function';

function kubeObjects(): Array<{ file: string; obj: KubeObject }> {
  return yamlFiles(deployDir).flatMap((file) =>
    readYamlDocuments(file)
      .filter(isKubeObject)
      .map((obj) => ({ file: relative(root, file), obj })),
  );
}

function find(kind: string, name: string): KubeObject {
  const hit = kubeObjects().find(({ obj }) => obj.kind === kind && obj.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name} in deploy/`);
  return hit.obj;
}

describe('deploy/ manifests', () => {
  it('every YAML file parses', () => {
    const files = yamlFiles(deployDir);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) expect(() => readYamlDocuments(file)).not.toThrow();
  });

  it('every Kubernetes object validates against the Kubernetes schema (kubernetes-models)', async () => {
    const objects = kubeObjects();
    expect(objects.map(({ obj }) => `${obj.kind}/${obj.metadata.name}`).sort()).toEqual(
      [
        'Deployment/collector',
        'Deployment/emitter',
        'Deployment/worker',
        'Namespace/openfaas',
        'Namespace/openfaas-fn',
        'Namespace/redis',
        'Role/autofarm-scaler',
        'RoleBinding/autofarm-scaler',
        'Service/redis-master',
        'ServiceAccount/autofarm-scaler',
        'StatefulSet/redis-master',
      ].sort(),
    );
    for (const { file, obj } of objects) {
      await expect(validateKubeObject(obj), `${file}: ${obj.kind}/${obj.metadata.name}`).resolves.toBeUndefined();
    }
  });

  it('the validator really rejects a schema violation (so the check above means something)', async () => {
    const broken = structuredClone(find('StatefulSet', 'redis-master')) as KubeObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'one';
    await expect(validateKubeObject(broken)).rejects.toThrow(/replicas/);
  });

  it('kustomization.yaml applies every manifest in deploy/ but the functions, which deploy/functions/ applies (--mode deployments)', () => {
    const k = readYaml<{ resources: string[] }>(join(deployDir, 'kustomization.yaml'));
    const fk = readYaml<{ resources: string[] }>(join(deployDir, 'functions/kustomization.yaml'));
    const withObjects = [...new Set(kubeObjects().map(({ file }) => relative('deploy', file)))].sort();
    expect([...k.resources, ...fk.resources.map((r) => `functions/${r}`)].sort()).toEqual(withObjects);
    expect(k.resources.filter((r) => r.startsWith('functions'))).toEqual([]);
  });

  it('the scaler role can only read and scale the worker and annotate pods in the function namespace', () => {
    const role = find('Role', 'autofarm-scaler') as KubeObject & {
      rules: Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }>;
    };
    expect(role.metadata.namespace).toBe(defaults.openfaas.namespace);
    expect(role.rules).toEqual([
      {
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        resourceNames: [defaults.openfaas.worker_function],
        verbs: ['get', 'patch'],
      },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'patch'] },
    ]);
    const flat = JSON.stringify(role.rules);
    expect(flat).not.toContain('*');
    expect(flat).not.toContain('secrets');
    expect(flat).not.toContain('delete');
    const binding = find('RoleBinding', 'autofarm-scaler') as KubeObject & {
      roleRef: { kind: string; name: string };
      subjects: Array<{ kind: string; name: string; namespace: string }>;
    };
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: 'autofarm-scaler' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'autofarm-scaler', namespace: defaults.openfaas.namespace }]);
  });

  it('Redis is where the functions look for it, password-protected and persistent', () => {
    const svc = find('Service', 'redis-master') as KubeObject & {
      spec: { ports: Array<{ port: number }>; selector: Record<string, string> };
    };
    expect(svc.metadata.namespace).toBe('redis');
    expect(svc.spec.ports[0]?.port).toBe(6379);
    const sts = find('StatefulSet', 'redis-master') as KubeObject & {
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: {
            containers: Array<{
              image: string;
              args: string[];
              env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
              readinessProbe?: unknown;
              securityContext?: { allowPrivilegeEscalation?: boolean };
            }>;
          };
        };
      };
    };
    expect(sts.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    const c = sts.spec.template.spec.containers[0];
    expect(c?.image).toBe(readVersions().REDIS_IMAGE);
    expect(c?.args).toEqual(expect.arrayContaining(['--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes']));
    expect(c?.env.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'redis-auth', key: 'password' });
    expect(c?.readinessProbe).toBeDefined();
    expect(c?.securityContext?.allowPrivilegeEscalation).toBe(false);
    // The functions' default address (functions/stack.yml) is this service.
    const stack = readYaml<{ functions: Record<string, { environment: Record<string, string> }> }>(join(root, 'functions/stack.yml'));
    for (const fn of Object.values(stack.functions)) expect(fn.environment.REDIS_HOSTNAME).toBe('redis-master.redis.svc.cluster.local');
  });
});

describe('deploy/kind/cluster.yaml', () => {
  const kind = readYaml<{
    kind: string;
    apiVersion: string;
    networking: { podSubnet: string };
    nodes: Array<{
      role: string;
      kubeadmConfigPatches?: string[];
      extraPortMappings?: Array<{ containerPort: number; hostPort: number; listenAddress?: string }>;
    }>;
  }>(join(deployDir, 'kind/cluster.yaml'));

  it('is a KIND v1alpha4 cluster with the original settings', () => {
    expect(kind.kind).toBe('Cluster');
    expect(kind.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(kind.networking.podSubnet).toBe('10.244.0.0/16');
    expect(kind.nodes.map((n) => n.role)).toEqual(['control-plane']);
    const patches = kind.nodes[0]?.kubeadmConfigPatches ?? [];
    const kubelet = patches.map((p) => parseYaml(p) as Record<string, unknown>).find((p) => p.kind === 'KubeletConfiguration');
    expect(kubelet).toEqual({
      kind: 'KubeletConfiguration',
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      maxPods: 250,
      cpuCFSQuota: false,
    });
  });

  it('maps the gateway NodePort to the host loopback only', () => {
    const values = readYaml<{ gateway: { nodePort: number } }>(join(deployDir, 'openfaas/values.yaml'));
    expect(kind.nodes[0]?.extraPortMappings).toEqual([
      { containerPort: values.gateway.nodePort, hostPort: values.gateway.nodePort, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
  });
});

describe('deploy/openfaas/values*.yaml (Helm values of the pinned chart; key paths: chart-values.test.ts)', () => {
  interface HelmValues {
    functionNamespace: string;
    openfaasPro: boolean;
    gateway: { replicas: number; readTimeout: string; writeTimeout: string; upstreamTimeout: string; nodePort: number };
    functions?: { imagePullPolicy?: string; setNonRootUser?: boolean };
    faasnetes?: unknown;
    queueWorker: { ackWait: string };
    alertmanager: { create: boolean };
    autoscaler?: { enabled: boolean };
  }
  const values = readYaml<HelmValues>(join(deployDir, 'openfaas/values.yaml'));
  const pro = readYaml<HelmValues>(join(deployDir, 'openfaas/values-pro.yaml'));
  const goDuration = (s: string) => {
    const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
    const parts = [...s.matchAll(/(\d+)(h|m|s)/g)];
    if (parts.map((p) => p[0]).join('') !== s) throw new Error(`not a Go duration: ${s}`);
    return parts.reduce((t, p) => t + Number(p[1]) * (unit[p[2] as string] as number), 0);
  };

  it('installs CE into the function namespace the backend uses', () => {
    expect(values.functionNamespace).toBe(defaults.openfaas.namespace);
    expect(values.openfaasPro).toBe(false);
    expect(typeof values.gateway.replicas).toBe('number');
  });

  it('keeps the original long timeouts with upstream below read/write', () => {
    const { readTimeout, writeTimeout, upstreamTimeout } = values.gateway;
    expect(goDuration(readTimeout)).toBe(12 * 3600);
    expect(goDuration(writeTimeout)).toBe(12 * 3600);
    expect(goDuration(upstreamTimeout)).toBeLessThan(goDuration(readTimeout));
    expect(goDuration(values.queueWorker.ackWait)).toBe(12 * 3600);
  });

  it('leaves scaling to us, and promises CE nothing it ignores (pull policy and probes are hard-coded there)', () => {
    expect(values.alertmanager.create).toBe(false);
    expect(values.faasnetes).toBeUndefined();
    expect(values.functions?.imagePullPolicy).toBeUndefined();
  });

  it('values-pro.yaml: OpenFaaS Standard with side-loaded images and its autoscaler off', () => {
    expect(pro.openfaasPro).toBe(true);
    expect(pro.functions?.imagePullPolicy).toBe('IfNotPresent');
    expect(pro.autoscaler?.enabled).toBe(false);
  });
});

describe('deploy/functions/ (--mode deployments: the farm as plain Deployments)', () => {
  interface FunctionDeploymentObject extends KubeObject {
    spec: {
      replicas?: number;
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string> };
        spec: {
          containers: Array<{
            image: string;
            imagePullPolicy: string;
            env: Array<{ name: string; value: string }>;
            volumeMounts: Array<{ name: string; mountPath: string }>;
            readinessProbe: { httpGet: { path: string } };
          }>;
          volumes: Array<{ name: string; secret: { secretName: string } }>;
        };
      };
    };
  }
  const stack = readYaml<{ functions: Record<string, { environment: Record<string, string>; secrets: string[] }> }>(
    join(root, 'functions/stack.yml'),
  );
  const label = FUNCTION_LABEL;

  it.each(['emitter', 'worker', 'collector'])('%s: the stack.yml image and environment, found by the backend, ignored by CE', (fn) => {
    const d = find('Deployment', fn) as FunctionDeploymentObject;
    expect(d.metadata.namespace).toBe(defaults.openfaas.namespace);
    const labels = d.spec.template.metadata.labels;
    expect(labels[label]).toBe(fn);
    // CE's informer clamps every Deployment whose pod template carries faas_function (faas-netes informers.go).
    expect(labels).not.toHaveProperty('faas_function');
    expect(labels).toMatchObject(d.spec.selector.matchLabels);
    const [c] = d.spec.template.spec.containers;
    expect(c?.image).toBe(`autofarm/${fn}:${readVersions().AUTOFARM_IMAGE_TAG}`);
    // kind load puts the image on the node; Always would go to Docker Hub and fail.
    expect(c?.imagePullPolicy).toBe('IfNotPresent');
    expect(Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]))).toEqual(stack.functions[fn]?.environment);
    expect(c?.readinessProbe.httpGet.path).toBe('/_/health');
    // The template reads secrets as files in /var/openfaas/secrets (server.js secrets_dir), as faas-netes mounts them.
    const mount = c?.volumeMounts.find((m) => m.mountPath === '/var/openfaas/secrets');
    const volume = d.spec.template.spec.volumes.find((v) => v.name === mount?.name);
    expect(stack.functions[fn]?.secrets).toEqual([volume?.secret.secretName]);
  });

  it('leaves the worker count to the scaler (no replicas field: re-applying does not reset it)', () => {
    expect((find('Deployment', 'worker') as FunctionDeploymentObject).spec.replicas).toBeUndefined();
    for (const fn of ['emitter', 'collector']) expect((find('Deployment', fn) as FunctionDeploymentObject).spec.replicas).toBe(1);
  });
});

describe('deploy/versions.env', () => {
  it('pins every version the scripts install', () => {
    const v = readVersions();
    // By digest, with the kind release it was built for (scripts/cluster-up.sh checks `kind version`).
    expect(v.KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(v.KIND_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(v.OPENFAAS_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.OPENFAAS_CHART_REPO).toMatch(/^https:\/\//);
    expect(v.REDIS_IMAGE).toMatch(/^redis:\d+\.\d+\.\d+(-alpine)?$/);
    expect(v.AUTOFARM_IMAGE_TAG).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
